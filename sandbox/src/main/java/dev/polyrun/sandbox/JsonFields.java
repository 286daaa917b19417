package dev.polyrun.sandbox;

import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Strict reading of one JSON object of a policy: every key must be known, every value of its type,
 * and errors name the file, the key's path, the value and what was expected.
 */
final class JsonFields {
  private final JsonObject object;
  private final String origin;
  private final String path;

  JsonFields(JsonObject object, String origin, String path) {
    this.object = object;
    this.origin = origin;
    this.path = path;
  }

  /** Refuses keys other than {@code known} (and "comment", allowed everywhere). */
  JsonFields onlyKeys(Set<String> known) {
    for (String key : object.keySet()) {
      if (!known.contains(key) && !key.equals("comment")) {
        throw error(
            key,
            "unknown key (expected one of: "
                + String.join(", ", new java.util.TreeSet<>(known))
                + ")");
      }
    }
    return this;
  }

  IllegalArgumentException error(String key, String message) {
    return new IllegalArgumentException(origin + ": " + where(key) + ": " + message);
  }

  String where(String key) {
    return path.isEmpty() ? key : path + "." + key;
  }

  boolean has(String key) {
    return object.has(key) && !object.get(key).isJsonNull();
  }

  private JsonElement required(String key) {
    JsonElement e = object.get(key);
    if (e == null || e.isJsonNull()) {
      throw error(key, "missing");
    }
    return e;
  }

  JsonFields object(String key) {
    JsonElement e = required(key);
    if (!e.isJsonObject()) {
      throw error(key, e + " (expected: an object)");
    }
    return new JsonFields(e.getAsJsonObject(), origin, where(key));
  }

  boolean bool(String key) {
    JsonElement e = required(key);
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isBoolean()) {
      throw error(key, e + " (expected: true or false)");
    }
    return e.getAsBoolean();
  }

  String string(String key) {
    JsonElement e = required(key);
    if (!e.isJsonPrimitive() || !e.getAsJsonPrimitive().isString()) {
      throw error(key, e + " (expected: a string)");
    }
    return e.getAsString();
  }

  String optionalString(String key, String fallback) {
    JsonElement e = object.get(key);
    return e == null || e.isJsonNull() ? fallback : string(key);
  }

  /** A whole number within [min, max]; written as a JSON number or a "0x..." string. */
  long number(String key, long min, long max) {
    return number(required(key), key, min, max);
  }

  long number(JsonElement e, String key, long min, long max) {
    long value;
    try {
      JsonPrimitive p = e.getAsJsonPrimitive();
      if (p.isString() && p.getAsString().startsWith("0x")) {
        value = Long.parseUnsignedLong(p.getAsString().substring(2), 16);
      } else if (p.isNumber()) {
        value = p.getAsBigDecimal().longValueExact();
      } else {
        throw new NumberFormatException();
      }
    } catch (IllegalStateException
        | UnsupportedOperationException
        | NumberFormatException
        | ArithmeticException ex) {
      throw error(key, e + " (expected: a whole number or a \"0x...\" string)");
    }
    if (value < min || value > max) {
      throw error(key, value + " (expected: " + min + " to " + max + ")");
    }
    return value;
  }

  int integer(String key, int min, int max) {
    return (int) number(key, min, max);
  }

  List<String> strings(String key, String pattern) {
    List<String> out = new ArrayList<>();
    for (JsonElement e : array(key)) {
      if (!e.isJsonPrimitive()
          || !e.getAsJsonPrimitive().isString()
          || !e.getAsString().matches(pattern)) {
        throw error(key, e + " (expected: strings matching " + pattern + ")");
      }
      out.add(e.getAsString());
    }
    return out;
  }

  List<String> optionalStrings(String key, String pattern) {
    return object.has(key) && !object.get(key).isJsonNull() ? strings(key, pattern) : List.of();
  }

  JsonArray array(String key) {
    JsonElement e = required(key);
    if (!e.isJsonArray()) {
      throw error(key, e + " (expected: a list)");
    }
    return e.getAsJsonArray();
  }

  List<JsonFields> objects(String key) {
    List<JsonFields> out = new ArrayList<>();
    JsonArray array =
        object.has(key) && !object.get(key).isJsonNull() ? array(key) : new JsonArray();
    for (int i = 0; i < array.size(); i++) {
      if (!array.get(i).isJsonObject()) {
        throw error(key + "[" + i + "]", array.get(i) + " (expected: an object)");
      }
      out.add(new JsonFields(array.get(i).getAsJsonObject(), origin, where(key + "[" + i + "]")));
    }
    return out;
  }
}

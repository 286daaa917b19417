package dev.polyrun.sandbox;

import com.google.gson.JsonDeserializationContext;
import com.google.gson.JsonDeserializer;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParseException;
import dev.polyrun.config.StageLimit;
import dev.polyrun.config.StageLimits;
import java.lang.reflect.Type;
import java.math.BigDecimal;
import java.util.Arrays;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Collectors;

/**
 * A stage's limits as language definitions ({@code language.json}) write them: an object of all six
 * under their JSON names ({@link StageLimit#jsonName()}), each a whole number above zero in the
 * contract's unit, e.g. {@code {"cpuTimeMs": 5000, "wallTimeMs": 10000, "memoryBytes": 268435456,
 * "maxProcesses": 32, "outputBytes": 1048576, "fileSizeBytes": 16777216}}. Read by the sandbox's
 * self-check and, as a Gson deserializer, by the worker's language catalog.
 */
public final class StageLimitsJson implements JsonDeserializer<StageLimits> {
  private static final Set<String> NAMES =
      Arrays.stream(StageLimit.values())
          .map(StageLimit::jsonName)
          .collect(Collectors.toUnmodifiableSet());

  /**
   * The complete limits {@code json} holds.
   *
   * @param where what the object is, for the message, e.g. {@code "limits.run"}
   * @throws IllegalArgumentException naming a missing, unknown or bad field and what was expected
   */
  public static StageLimits read(JsonElement json, String where) {
    if (json == null || !json.isJsonObject()) {
      throw new IllegalArgumentException(
          where + ": " + json + " (expected: an object of " + new TreeSet<>(NAMES) + ")");
    }
    JsonObject object = json.getAsJsonObject();
    for (String key : object.keySet()) {
      if (!NAMES.contains(key)) {
        throw new IllegalArgumentException(
            where
                + ": unknown field \""
                + key
                + "\" (expected: one of "
                + new TreeSet<>(NAMES)
                + ")");
      }
    }
    return StageLimits.of(
        limit -> positive(object.get(limit.jsonName()), where + "." + limit.jsonName(), limit));
  }

  private static long positive(JsonElement value, String where, StageLimit limit) {
    if (value != null && value.isJsonPrimitive() && value.getAsJsonPrimitive().isNumber()) {
      try {
        long v = new BigDecimal(value.getAsString()).longValueExact();
        if (v > 0 && v <= limit.largest()) {
          return v;
        }
      } catch (ArithmeticException | NumberFormatException e) {
        // reported below
      }
    }
    throw new IllegalArgumentException(
        where
            + ": "
            + (value == null ? "missing" : value)
            + " (expected: a whole number from 1 to "
            + limit.largest()
            + ")");
  }

  /** Gson's entry: {@link #read}, its errors as {@link JsonParseException}s. */
  @Override
  public StageLimits deserialize(JsonElement json, Type type, JsonDeserializationContext context) {
    try {
      return read(json, "stage limits");
    } catch (IllegalArgumentException e) {
      throw new JsonParseException(e.getMessage(), e);
    }
  }
}

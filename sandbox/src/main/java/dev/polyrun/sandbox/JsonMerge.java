package dev.polyrun.sandbox;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import java.util.Map;

/**
 * JSON merge patch (RFC 7386): objects merge key by key, any other value replaces, null removes.
 */
final class JsonMerge {
  private JsonMerge() {}

  static JsonObject apply(JsonObject target, JsonObject patch) {
    JsonObject result = target.deepCopy();
    for (Map.Entry<String, JsonElement> e : patch.entrySet()) {
      String key = e.getKey();
      JsonElement value = e.getValue();
      if (value.isJsonNull()) {
        result.remove(key);
      } else if (value.isJsonObject()) {
        JsonElement current = result.get(key);
        JsonObject base =
            current != null && current.isJsonObject()
                ? current.getAsJsonObject()
                : new JsonObject();
        result.add(key, apply(base, value.getAsJsonObject()));
      } else {
        result.add(key, value.deepCopy());
      }
    }
    return result;
  }
}

package dev.polyrun.loadtest.internal;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;

/**
 * The JSON of reports: pretty, and NaN or infinite figures written as null (JSON has no NaN); null
 * reads back as NaN for a {@code double} and as null for a {@code Double}.
 */
public final class Json {
  /** Thread-safe. */
  public static final Gson GSON =
      new GsonBuilder()
          .setPrettyPrinting()
          .disableHtmlEscaping()
          .registerTypeAdapter(Double.class, doubles(null))
          .registerTypeAdapter(double.class, doubles(Double.NaN))
          .create();

  private Json() {}

  private static TypeAdapter<Double> doubles(Double absent) {
    return new TypeAdapter<>() {
      @Override
      public void write(JsonWriter out, Double value) throws IOException {
        if (value == null || value.isNaN() || value.isInfinite()) {
          out.nullValue();
        } else {
          out.value(value);
        }
      }

      @Override
      public Double read(JsonReader in) throws IOException {
        if (in.peek() == JsonToken.NULL) {
          in.nextNull();
          return absent;
        }
        return in.nextDouble();
      }
    };
  }
}

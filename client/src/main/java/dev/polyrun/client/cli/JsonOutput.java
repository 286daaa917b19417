package dev.polyrun.client.cli;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonArray;
import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.MessageOrBuilder;
import com.google.protobuf.util.JsonFormat;
import dev.polyrun.client.PolyrunException;
import dev.polyrun.client.PolyrunRequestException;
import dev.polyrun.client.PolyrunUnavailableException;
import dev.polyrun.proto.v1.Job;
import dev.polyrun.proto.v1.JobState;
import dev.polyrun.proto.v1.Language;
import dev.polyrun.proto.v1.Result;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The {@code --json} output of every command: one JSON object per command. Messages of the contract
 * use the protobuf JSON mapping with the proto's field names (snake_case; bytes in base64; every
 * field, defaults included), as grpcurl shows them; program output is added as text.
 */
final class JsonOutput {
  private static final Gson GSON =
      new GsonBuilder().disableHtmlEscaping().setPrettyPrinting().create();
  private static final JsonFormat.Printer PROTO =
      JsonFormat.printer().preservingProtoFieldNames().alwaysPrintFieldsWithNoPresence();

  private JsonOutput() {}

  /** {@code polyrun run}: the job id, the result, and what the program printed (UTF-8 text). */
  static String run(String jobId, Result result, ByteString stdout, ByteString stderr) {
    JsonObject o = new JsonObject();
    o.addProperty("job_id", jobId == null ? "" : jobId);
    o.add("result", proto(result));
    o.addProperty("stdout", stdout.toString(StandardCharsets.UTF_8));
    o.addProperty("stderr", stderr.toString(StandardCharsets.UTF_8));
    o.addProperty("exit_code", ExitCodes.forResult(result));
    return GSON.toJson(o);
  }

  /** {@code polyrun run --detach}: the id of the submitted job. */
  static String submitted(String jobId) {
    JsonObject o = new JsonObject();
    o.addProperty("job_id", jobId);
    return GSON.toJson(o);
  }

  /** {@code polyrun job}: the job as the service returned it. */
  static String job(Job job) {
    return GSON.toJson(proto(job));
  }

  /** {@code polyrun cancel}: the job and its state after the request. */
  static String cancelled(String jobId, JobState state) {
    JsonObject o = new JsonObject();
    o.addProperty("job_id", jobId);
    o.addProperty("state", state.name()); // the contract's name, as in every proto-shaped object
    return GSON.toJson(o);
  }

  /** {@code polyrun languages}. */
  static String languages(List<Language> languages) {
    JsonArray list = new JsonArray();
    languages.forEach(l -> list.add(proto(l)));
    JsonObject o = new JsonObject();
    o.add("languages", list);
    return GSON.toJson(o);
  }

  /** Any command's failure: the status code, its message, and what else the service said. */
  static String error(PolyrunException e, String message) {
    JsonObject error = new JsonObject();
    error.addProperty("code", e.code().name());
    if (!e.reason().isEmpty()) {
      error.addProperty("reason", e.reason());
    }
    error.addProperty("message", message);
    if (e instanceof PolyrunUnavailableException u) {
      u.retryDelay().ifPresent(d -> error.addProperty("retry_delay_ms", d.toMillis()));
    }
    if (e instanceof PolyrunRequestException r && !r.fieldViolations().isEmpty()) {
      JsonArray fields = new JsonArray();
      r.fieldViolations()
          .forEach(
              v -> {
                JsonObject f = new JsonObject();
                f.addProperty("field", v.field());
                f.addProperty("description", v.description());
                fields.add(f);
              });
      error.add("field_violations", fields);
    }
    e.jobId().ifPresent(id -> error.addProperty("job_id", id));
    JsonObject o = new JsonObject();
    o.add("error", error);
    return GSON.toJson(o);
  }

  /** A usage error (exit code 2). */
  static String usageError(String message) {
    JsonObject error = new JsonObject();
    error.addProperty("code", "USAGE");
    error.addProperty("message", message);
    JsonObject o = new JsonObject();
    o.add("error", error);
    return GSON.toJson(o);
  }

  private static JsonElement proto(MessageOrBuilder message) {
    try {
      return JsonParser.parseString(PROTO.print(message));
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException(
          "cannot print " + message.getClass().getSimpleName() + " as JSON", e);
    }
  }
}

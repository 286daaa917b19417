package dev.polyrun.sandbox.internal;

import com.google.gson.JsonElement;
import com.google.gson.JsonObject;
import com.google.gson.JsonParser;
import dev.polyrun.config.StageLimits;
import dev.polyrun.sandbox.PolicyOverride;
import dev.polyrun.sandbox.StageLimitsJson;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * What the sandbox's own tools (the self-check, the benchmark) read of a language's {@code
 * language.json}: commands, environment, default limits and the policy override. Commands are
 * expanded as the worker expands them for one file: {@code {source}} and {@code {sources}} are the
 * source file, {@code {stem}} its name without extension, {@code {options}} none, and {@code tini
 * -p SIGKILL --} goes first when the image has it.
 */
public record LanguageSample(
    String name,
    String sourceFile,
    List<String> compile,
    List<String> run,
    Map<String, String> env,
    StageLimits compileLimits,
    StageLimits runLimits,
    PolicyOverride policy) {

  /** Reads {@code language.json}. */
  public static LanguageSample load(Path languageJson) throws IOException {
    String origin = languageJson.toString();
    JsonObject d =
        JsonParser.parseString(Files.readString(languageJson, StandardCharsets.UTF_8))
            .getAsJsonObject();
    String source = d.get("sourceFile").getAsString();
    List<String> compile =
        d.has("compile") && !d.get("compile").isJsonNull() ? strings(d.get("compile")) : List.of();
    Map<String, String> env = new HashMap<>();
    d.getAsJsonObject("env")
        .entrySet()
        .forEach(e -> env.put(e.getKey(), e.getValue().getAsString()));
    env.put("HOME", "/tmp");
    env.putIfAbsent("LANG", "C.UTF-8");
    JsonObject limits = d.getAsJsonObject("limits");
    StageLimits run = StageLimitsJson.read(limits.get("run"), origin + ": limits.run");
    StageLimits compileLimits =
        limits.has("compile")
            ? StageLimitsJson.read(limits.get("compile"), origin + ": limits.compile")
            : run;
    PolicyOverride policy =
        d.has("sandbox")
            ? PolicyOverride.of(
                d.getAsJsonObject("sandbox"), origin + ": sandbox", PolicyOverride.Scope.LANGUAGE)
            : PolicyOverride.none();
    return new LanguageSample(
        d.get("name").getAsString(),
        source,
        expand(compile, source),
        expand(strings(d.get("run")), source),
        Map.copyOf(env),
        compileLimits,
        run,
        policy);
  }

  public boolean compiled() {
    return !compile.isEmpty();
  }

  /** The command as run in the image: under tini when the image has it. */
  public List<String> withInit(Path rootfs, List<String> argv) {
    List<String> command = new ArrayList<>();
    if (Files.isExecutable(rootfs.resolve("usr/bin/tini"))) {
      command.addAll(List.of("/usr/bin/tini", "-p", "SIGKILL", "--"));
    }
    command.addAll(argv);
    return command;
  }

  private static List<String> expand(List<String> template, String source) {
    String stem = source.contains(".") ? source.substring(0, source.lastIndexOf('.')) : source;
    List<String> argv = new ArrayList<>();
    for (String a : template) {
      if (a.equals("{sources}")) {
        argv.add(source);
      } else if (!a.equals("{options}")) {
        argv.add(a.replace("{source}", source).replace("{stem}", stem));
      }
    }
    return argv;
  }

  private static List<String> strings(JsonElement e) {
    List<String> out = new ArrayList<>();
    e.getAsJsonArray().forEach(x -> out.add(x.getAsString()));
    return out;
  }
}

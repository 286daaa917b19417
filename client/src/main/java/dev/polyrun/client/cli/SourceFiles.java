package dev.polyrun.client.cli;

import com.google.protobuf.ByteString;
import dev.polyrun.proto.v1.SourceFile;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Reads the files named on the command line into {@link SourceFile}s. Each is sent under its path
 * relative to the current directory, normalised ({@code ./src/../main.py} is {@code main.py}) and
 * with {@code /} separators; a file outside the current directory is sent under its bare name.
 */
final class SourceFiles {
  private SourceFiles() {}

  /**
   * The files in command-line order (the first is the entry file).
   *
   * @throws UsageException when a file cannot be read or two files would get the same path
   */
  static List<SourceFile> read(Path cwd, List<String> files) {
    Map<String, String> seen = new HashMap<>();
    List<SourceFile> sources = new ArrayList<>();
    for (String file : files) {
      String path = requestPath(cwd, file);
      String earlier = seen.putIfAbsent(path, file);
      if (earlier != null) {
        throw new UsageException(
            "'"
                + earlier
                + "' and '"
                + file
                + "' would both be sent as '"
                + path
                + "' (files outside the current directory are sent by name)");
      }
      sources.add(
          SourceFile.newBuilder()
              .setPath(path)
              .setContent(ByteString.copyFrom(content(cwd, file)))
              .build());
    }
    return sources;
  }

  /** The path {@code file} is sent under, seen from {@code cwd}. */
  static String requestPath(Path cwd, String file) {
    Path base = cwd.toAbsolutePath().normalize();
    Path absolute = base.resolve(parse(file)).normalize();
    Path relative =
        absolute.startsWith(base) && !absolute.equals(base)
            ? base.relativize(absolute)
            : absolute.getFileName();
    if (relative == null) {
      throw new UsageException("'" + file + "' is not a file (expected: a source file)");
    }
    List<String> names = new ArrayList<>();
    relative.forEach(name -> names.add(name.toString()));
    return String.join("/", names);
  }

  /** Reads a whole file, turning I/O failures into one-line usage errors. */
  static byte[] content(Path cwd, String file) {
    Path path = cwd.resolve(parse(file));
    if (Files.isDirectory(path)) {
      throw new UsageException("'" + file + "' is a directory (expected: a file)");
    }
    try {
      return Files.readAllBytes(path);
    } catch (NoSuchFileException e) {
      throw new UsageException("cannot read '" + file + "': no such file");
    } catch (AccessDeniedException e) {
      throw new UsageException("cannot read '" + file + "': permission denied");
    } catch (IOException e) {
      throw new UsageException("cannot read '" + file + "': " + e.getMessage());
    }
  }

  private static Path parse(String file) {
    try {
      return Path.of(file);
    } catch (InvalidPathException e) {
      throw new UsageException("'" + file + "' is not a valid path: " + e.getReason());
    }
  }
}

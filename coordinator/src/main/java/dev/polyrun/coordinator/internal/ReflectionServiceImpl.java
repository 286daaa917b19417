package dev.polyrun.coordinator.internal;

import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import io.grpc.Status;
import io.grpc.reflection.v1.ErrorResponse;
import io.grpc.reflection.v1.FileDescriptorResponse;
import io.grpc.reflection.v1.ListServiceResponse;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.reflection.v1.ServiceResponse;
import io.grpc.stub.StreamObserver;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * gRPC server reflection (grpc.reflection.v1; {@link ReflectionV1Alpha} serves
 * grpc.reflection.v1alpha with its answers) over the services this server registers. Answers every
 * request on a stream as it arrives, as grpcurl and other generic clients expect (they send several
 * requests on one stream).
 */
public final class ReflectionServiceImpl extends ServerReflectionGrpc.ServerReflectionImplBase {
  private final List<ServiceDescriptor> services;
  private final Map<String, FileDescriptor> files = new LinkedHashMap<>();

  /** Reflection over the given services (and the files they depend on). */
  public ReflectionServiceImpl(List<ServiceDescriptor> services) {
    this.services = List.copyOf(services);
    for (ServiceDescriptor service : services) {
      index(service.getFile());
    }
  }

  private void index(FileDescriptor file) {
    if (files.putIfAbsent(file.getName(), file) == null) {
      file.getDependencies().forEach(this::index);
    }
  }

  @Override
  public StreamObserver<ServerReflectionRequest> serverReflectionInfo(
      StreamObserver<ServerReflectionResponse> out) {
    return new StreamObserver<>() {
      @Override
      public void onNext(ServerReflectionRequest request) {
        out.onNext(answer(request));
      }

      @Override
      public void onError(Throwable t) {}

      @Override
      public void onCompleted() {
        out.onCompleted();
      }
    };
  }

  ServerReflectionResponse answer(ServerReflectionRequest request) {
    ServerReflectionResponse.Builder response =
        ServerReflectionResponse.newBuilder()
            .setValidHost(request.getHost())
            .setOriginalRequest(request);
    switch (request.getMessageRequestCase()) {
      case LIST_SERVICES -> {
        ListServiceResponse.Builder list = ListServiceResponse.newBuilder();
        services.forEach(
            s -> list.addService(ServiceResponse.newBuilder().setName(s.getFullName())));
        response.setListServicesResponse(list);
      }
      case FILE_BY_FILENAME ->
          withFile(
              response,
              Optional.ofNullable(files.get(request.getFileByFilename())),
              "file " + request.getFileByFilename());
      case FILE_CONTAINING_SYMBOL ->
          withFile(
              response,
              fileOf(request.getFileContainingSymbol()),
              "symbol " + request.getFileContainingSymbol());
      default ->
          response.setErrorResponse(
              error(
                  Status.Code.UNIMPLEMENTED, "not supported: " + request.getMessageRequestCase()));
    }
    return response.build();
  }

  private static void withFile(
      ServerReflectionResponse.Builder response, Optional<FileDescriptor> file, String what) {
    if (file.isEmpty()) {
      response.setErrorResponse(error(Status.Code.NOT_FOUND, what + " not found"));
      return;
    }
    FileDescriptorResponse.Builder body = FileDescriptorResponse.newBuilder();
    Set<FileDescriptor> seen = new LinkedHashSet<>();
    Deque<FileDescriptor> todo = new ArrayDeque<>(List.of(file.get()));
    while (!todo.isEmpty()) {
      FileDescriptor f = todo.pop();
      if (seen.add(f)) {
        body.addFileDescriptorProto(f.toProto().toByteString());
        todo.addAll(f.getDependencies());
      }
    }
    response.setFileDescriptorResponse(body);
  }

  private Optional<FileDescriptor> fileOf(String symbol) {
    for (FileDescriptor file : files.values()) {
      for (ServiceDescriptor s : file.getServices()) {
        if (s.getFullName().equals(symbol)
            || s.getMethods().stream().anyMatch(m -> m.getFullName().equals(symbol))) {
          return Optional.of(file);
        }
      }
      if (file.getEnumTypes().stream().anyMatch(e -> e.getFullName().equals(symbol))
          || file.getMessageTypes().stream().anyMatch(m -> declares(m, symbol))) {
        return Optional.of(file);
      }
    }
    return Optional.empty();
  }

  private static boolean declares(Descriptor message, String symbol) {
    return message.getFullName().equals(symbol)
        || message.getEnumTypes().stream().anyMatch(e -> e.getFullName().equals(symbol))
        || message.getNestedTypes().stream().anyMatch(n -> declares(n, symbol));
  }

  private static ErrorResponse error(Status.Code code, String message) {
    return ErrorResponse.newBuilder().setErrorCode(code.value()).setErrorMessage(message).build();
  }
}

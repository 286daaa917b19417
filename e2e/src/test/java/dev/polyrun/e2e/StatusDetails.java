package dev.polyrun.e2e;

import com.google.protobuf.Any;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.Message;
import com.google.rpc.BadRequest;
import com.google.rpc.RetryInfo;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import java.time.Duration;
import java.util.List;

/** Reads the google.rpc details of a failed call. */
final class StatusDetails {
  private StatusDetails() {}

  static <T extends Message> T detail(StatusRuntimeException e, Class<T> type) {
    com.google.rpc.Status status = StatusProto.fromThrowable(e);
    if (status == null) {
      throw new AssertionError("no google.rpc.Status details in " + e);
    }
    for (Any any : status.getDetailsList()) {
      if (any.is(type)) {
        try {
          return any.unpack(type);
        } catch (InvalidProtocolBufferException ex) {
          throw new AssertionError(ex);
        }
      }
    }
    throw new AssertionError("no " + type.getSimpleName() + " in " + e);
  }

  static Duration retryDelay(StatusRuntimeException e) {
    com.google.protobuf.Duration d = detail(e, RetryInfo.class).getRetryDelay();
    return Duration.ofSeconds(d.getSeconds(), d.getNanos());
  }

  static List<String> fields(StatusRuntimeException e) {
    return detail(e, BadRequest.class).getFieldViolationsList().stream()
        .map(BadRequest.FieldViolation::getField)
        .toList();
  }
}

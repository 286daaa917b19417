package dev.polyrun.coordinator.internal;

import com.google.protobuf.Any;
import com.google.rpc.BadRequest;
import com.google.rpc.Code;
import dev.polyrun.queue.QueueDataException;
import dev.polyrun.queue.QueueUnavailableException;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.protobuf.StatusProto;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Maps every failure of a call to its gRPC status: the one place where that is decided. */
final class Statuses {
  private static final Logger log = LoggerFactory.getLogger(Statuses.class);

  private Statuses() {}

  static StatusRuntimeException toStatus(Throwable t) {
    if (t instanceof StatusRuntimeException s) {
      return s;
    }
    if (t instanceof RequestValidator.InvalidRequestException invalid) {
      return invalidArgument(invalid);
    }
    if (t instanceof QueueUnavailableException) {
      return Status.UNAVAILABLE.withDescription("the job store is unavailable; retry later").withCause(t).asRuntimeException();
    }
    if (t instanceof QueueDataException) {
      log.error("unreadable data in the job store", t);
      return Status.INTERNAL.withDescription("unreadable data in the job store").asRuntimeException();
    }
    log.error("unexpected failure", t);
    return Status.INTERNAL.withDescription("internal error").asRuntimeException();
  }

  static StatusRuntimeException notFound(String what) {
    return Status.NOT_FOUND.withDescription(what).asRuntimeException();
  }

  static StatusRuntimeException invalid(String field, String description) {
    return invalidArgument(new RequestValidator.InvalidRequestException(
        java.util.List.of(new RequestValidator.Violation(field, description))));
  }

  static StatusRuntimeException unimplemented(String what) {
    return Status.UNIMPLEMENTED.withDescription(what).asRuntimeException();
  }

  private static StatusRuntimeException invalidArgument(RequestValidator.InvalidRequestException e) {
    BadRequest.Builder details = BadRequest.newBuilder();
    for (RequestValidator.Violation v : e.violations()) {
      details.addFieldViolations(
          BadRequest.FieldViolation.newBuilder().setField(v.field()).setDescription(v.description()));
    }
    com.google.rpc.Status status =
        com.google.rpc.Status.newBuilder()
            .setCode(Code.INVALID_ARGUMENT_VALUE)
            .setMessage(e.getMessage())
            .addDetails(Any.pack(details.build()))
            .build();
    return StatusProto.toStatusRuntimeException(status);
  }
}

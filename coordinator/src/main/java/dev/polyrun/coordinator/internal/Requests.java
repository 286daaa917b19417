package dev.polyrun.coordinator.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;
import dev.polyrun.proto.v1.ExecuteRequest;
import dev.polyrun.proto.v1.SubmitRequest;

/**
 * The job an Execute call asks for, as the SubmitRequest that every other part stores and reads.
 */
final class Requests {
  private Requests() {}

  /**
   * The SubmitRequest holding the job fields of {@code request}. The contract gives both messages
   * the same field numbers for the job, so the bytes of one parse as the other; what only Execute
   * has is dropped.
   */
  static SubmitRequest toSubmit(ExecuteRequest request) {
    try {
      return SubmitRequest.parseFrom(request.toByteString()).toBuilder()
          .setUnknownFields(UnknownFieldSet.getDefaultInstance())
          .build();
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("an ExecuteRequest did not parse as a SubmitRequest", e);
    }
  }
}

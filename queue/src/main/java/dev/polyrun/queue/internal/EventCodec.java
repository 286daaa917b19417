package dev.polyrun.queue.internal;

import com.google.protobuf.InvalidProtocolBufferException;
import dev.polyrun.proto.v1.JobEvent;
import dev.polyrun.queue.QueueDataException;
import java.util.Arrays;
import java.util.Map;
import redis.clients.jedis.resps.StreamEntryBinary;

/** Turns an entry of a job's event stream into the {@link JobEvent} clients see. */
public final class EventCodec {
  private static final byte[] EVENT_FIELD = Keys.bytes("e");

  private EventCodec() {}

  /** The entry's event, with the entry's id as its cursor and {@code jobId} set. */
  public static JobEvent decode(String jobId, StreamEntryBinary entry) {
    byte[] data = new byte[0];
    for (Map.Entry<byte[], byte[]> field : entry.getFields().entrySet()) {
      if (Arrays.equals(field.getKey(), EVENT_FIELD)) {
        data = field.getValue();
      }
    }
    try {
      return JobEvent.parseFrom(data).toBuilder()
          .setCursor(entry.getID().toString())
          .setJobId(jobId)
          .build();
    } catch (InvalidProtocolBufferException e) {
      throw new QueueDataException(
          "unreadable event " + entry.getID() + " of job " + jobId + ": " + e.getMessage(), e);
    }
  }
}

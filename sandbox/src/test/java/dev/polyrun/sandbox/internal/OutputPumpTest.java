package dev.polyrun.sandbox.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Test;

class OutputPumpTest {

  @Test
  void aProgramPrintingAByteAtATimeIsDeliveredInFewerChunksThanBytesAndInOrder() throws Exception {
    PipedInputStream in = new PipedInputStream(1 << 16);
    PipedOutputStream out = new PipedOutputStream(in);
    List<byte[]> chunks = Collections.synchronizedList(new ArrayList<>());
    Thread pump =
        Thread.ofPlatform()
            .start(new OutputPump(in, new AtomicLong(1 << 20), chunks::add, () -> {}));
    // a byte about every millisecond: one read per byte unless chunks are coalesced
    for (int i = 0; i < 200; i++) {
      out.write('a' + i % 26);
      out.flush();
      Thread.sleep(1);
    }
    out.close();
    pump.join(10_000);

    ByteArrayOutputStream all = new ByteArrayOutputStream();
    chunks.forEach(all::writeBytes);
    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 200; i++) {
      expected.append((char) ('a' + i % 26));
    }
    assertThat(all.toString()).isEqualTo(expected.toString());
    assertThat(chunks.size()).isLessThan(100);
  }

  @Test
  void outputPastTheBudgetIsCutAndReportedOnce() throws Exception {
    PipedInputStream in = new PipedInputStream(1 << 16);
    PipedOutputStream out = new PipedOutputStream(in);
    List<byte[]> chunks = Collections.synchronizedList(new ArrayList<>());
    AtomicLong overflows = new AtomicLong();
    Thread pump =
        Thread.ofPlatform()
            .start(new OutputPump(in, new AtomicLong(10), chunks::add, overflows::incrementAndGet));
    out.write("0123456789abcdef".getBytes());
    out.write("more".getBytes());
    out.close();
    pump.join(10_000);

    ByteArrayOutputStream all = new ByteArrayOutputStream();
    chunks.forEach(all::writeBytes);
    assertThat(all.toString()).isEqualTo("0123456789");
    assertThat(overflows.get()).isEqualTo(1);
  }
}

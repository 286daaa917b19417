package dev.polyrun.e2e;

import dev.polyrun.proto.v1.ExecutorServiceGrpc;
import java.util.function.Consumer;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * One {@link LocalCluster} for all the tests of a class: started before the first, closed after the
 * last. Register it on a static field,
 *
 * <pre>{@code
 * @RegisterExtension
 * static final ClusterExtension cluster = ClusterExtension.of(b -> b.workerSlots(1));
 * }</pre>
 *
 * <p>and call the cluster through it ({@link #blocking()}, {@link #as}, {@link #target()}, {@link
 * #get()} for the parts), or take a {@link LocalCluster} parameter in a test method. {@link
 * #coordinatorOnly()} starts Redis and the coordinator without a worker, for tests of what the
 * coordinator answers by itself (it needs no built images).
 */
final class ClusterExtension implements BeforeAllCallback, AfterAllCallback, ParameterResolver {
  private final Consumer<LocalCluster.Builder> setup;
  private LocalCluster cluster;

  /** The class that started the cluster: a nested class's callbacks leave it alone. */
  private String owner;

  private ClusterExtension(Consumer<LocalCluster.Builder> setup) {
    this.setup = setup;
  }

  /** The default cluster: one worker with two slots serving every built image, auth=none. */
  static ClusterExtension standard() {
    return of(b -> {});
  }

  /**
   * A cluster changed from the default by {@code setup} (tenants, worker pools, Redis topology...).
   */
  static ClusterExtension of(Consumer<LocalCluster.Builder> setup) {
    return new ClusterExtension(setup);
  }

  /** Redis and the coordinator, no worker. */
  static ClusterExtension coordinatorOnly() {
    return coordinatorOnly(b -> {});
  }

  /** Redis and a coordinator changed by {@code setup}, no worker. */
  static ClusterExtension coordinatorOnly(Consumer<LocalCluster.Builder> setup) {
    return of(setup.andThen(b -> b.workerSlots(0)));
  }

  @Override
  public void beforeAll(ExtensionContext context) throws Exception {
    if (cluster != null) {
      return;
    }
    LocalCluster.Builder builder = LocalCluster.builder();
    setup.accept(builder);
    cluster = builder.start();
    owner = context.getUniqueId();
  }

  @Override
  public void afterAll(ExtensionContext context) throws Exception {
    if (cluster != null && context.getUniqueId().equals(owner)) {
      LocalCluster closing = cluster;
      cluster = null;
      closing.close();
    }
  }

  /** The running cluster; fails outside the tests of the class that registered this extension. */
  LocalCluster get() {
    if (cluster == null) {
      throw new IllegalStateException(
          "the cluster runs only during the tests of the class that registers it"
              + " (@RegisterExtension on a static field)");
    }
    return cluster;
  }

  /** {@link LocalCluster#blocking()}. */
  ExecutorServiceGrpc.ExecutorServiceBlockingStub blocking() {
    return get().blocking();
  }

  /** {@link LocalCluster#as(String)}. */
  ExecutorServiceGrpc.ExecutorServiceBlockingStub as(String apiKey) {
    return get().as(apiKey);
  }

  /** {@link LocalCluster#target()}. */
  String target() {
    return get().target();
  }

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == LocalCluster.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return get();
  }
}

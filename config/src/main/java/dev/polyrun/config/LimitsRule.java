package dev.polyrun.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.function.ToLongFunction;

/**
 * The one rule that makes a stage's limits explicit, applied by the coordinator when it accepts a
 * request (with the caller's maxima) and by the worker when it runs one (without maxima, to fill
 * what the coordinator left unset with the language's defaults). Pure.
 *
 * <p>Each limit is the request's when set (above zero), else the default's; then, when a maximum is
 * set for it:
 *
 * <ul>
 *   <li>a requested value above the maximum is refused, or lowered to it when the request asks for
 *       clamping;
 *   <li>a default above the maximum is lowered to it silently (the caller asked for nothing).
 * </ul>
 *
 * A negative requested value is refused, clamping or not. A limit unset both in the request and in
 * the defaults stays unset.
 */
public final class LimitsRule {
  private LimitsRule() {}

  /**
   * The stage's explicit limits and the requested values refused, in {@link StageLimit} order.
   *
   * @param requested the request's value of each limit in the contract's unit, zero for unset;
   *     negative values are refused
   * @param defaults the language's defaults
   * @param maxima the largest values allowed; an unset one allows any
   * @param clamp lower a requested value above its maximum instead of refusing it
   */
  public static Resolution resolve(
      ToLongFunction<StageLimit> requested,
      StageLimits defaults,
      StageLimits maxima,
      boolean clamp) {
    List<Refusal> refusals = new ArrayList<>();
    StageLimits limits =
        StageLimits.of(
            limit -> {
              long asked = requested.applyAsLong(limit);
              long maximum = maxima.get(limit);
              boolean above = maximum > 0 && asked > maximum;
              if (asked < 0 || (above && !clamp)) {
                refusals.add(new Refusal(limit, asked, maximum));
                return 0;
              }
              long value = asked > 0 ? asked : defaults.get(limit);
              return maximum > 0 ? Math.min(value, maximum) : value;
            });
    return new Resolution(limits, refusals);
  }

  /**
   * What {@link #resolve} made of a request.
   *
   * @param limits the explicit limits; a refused one is unset
   * @param refusals the requested values refused, in {@link StageLimit} order; empty when none
   */
  public record Resolution(StageLimits limits, List<Refusal> refusals) {
    public Resolution {
      Objects.requireNonNull(limits, "limits");
      refusals = List.copyOf(refusals);
    }

    /**
     * The limits, when nothing was refused.
     *
     * @param what what the limits are, for the message, e.g. {@code "run_limits"}
     * @throws IllegalArgumentException naming every refused value, e.g. {@code
     *     "run_limits.memory_bytes: -1 (expected: 0 for the default, or >= 1)"}
     */
    public StageLimits orThrow(String what) {
      if (refusals.isEmpty()) {
        return limits;
      }
      List<String> messages = new ArrayList<>();
      for (Refusal r : refusals) {
        messages.add(what + "." + r.limit().field() + ": " + r.message());
      }
      throw new IllegalArgumentException(String.join("; ", messages));
    }
  }

  /**
   * A requested value refused.
   *
   * @param limit which limit
   * @param value the value asked for, in the contract's unit
   * @param maximum its maximum; zero when none is set
   */
  public record Refusal(StageLimit limit, long value, long maximum) {
    /** Whether it was refused for being above its maximum (else for being negative). */
    public boolean aboveMaximum() {
      return maximum > 0 && value > maximum;
    }

    /**
     * The value and the range allowed, e.g. {@code "17179869184 (expected: 0 for the default, or
     * 1..2147483648), or set clamp_limits to lower it to the maximum"}.
     */
    public String message() {
      String range = maximum > 0 ? "1.." + maximum : ">= 1";
      return value
          + " (expected: 0 for the default, or "
          + range
          + ")"
          + (aboveMaximum() ? ", or set clamp_limits to lower it to the maximum" : "");
    }
  }
}

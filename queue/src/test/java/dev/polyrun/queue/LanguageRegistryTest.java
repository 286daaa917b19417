package dev.polyrun.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.proto.v1.Language;
import dev.polyrun.proto.v1.LanguageVersion;
import dev.polyrun.queue.LanguageRegistry.View;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Workers with different versions of a language write their own views; a read merges them. */
class LanguageRegistryTest {
  private static final Set<String> ALL_LIVE =
      Set.of("python", "python@3.13", "python@3.12", "python@3.11", "python@3.10", "python@3.9");

  private static LanguageVersion version(String name, boolean isDefault) {
    return LanguageVersion.newBuilder()
        .setName(name)
        .setVersion(name + ".1")
        .setIsDefault(isDefault)
        .build();
  }

  private static Language language(String top, LanguageVersion... versions) {
    return Language.newBuilder()
        .setName("python")
        .setVersion(top)
        .addAllVersions(List.of(versions))
        .build();
  }

  private static View view(long seen, String top, LanguageVersion... versions) {
    return new View(language(top, versions), seen);
  }

  private static List<String> names(Language merged) {
    return merged.getVersionsList().stream()
        .map(v -> v.getName() + (v.getIsDefault() ? "*" : ""))
        .toList();
  }

  @Test
  void twoWorkersViewsOfALanguageHaveTheirOwnFields() {
    assertThat(
            LanguageRegistry.field(
                language("3.13.1", version("3.13", true), version("3.11", false))))
        .isEqualTo("python@3.11,3.13");
    assertThat(LanguageRegistry.field(language("3.11.1", version("3.11", false))))
        .isEqualTo("python@3.11");
  }

  @Test
  void viewsMergeIntoOneEntryWithEveryLiveVersionTheDefaultFirstAndItsTopLevelFields() {
    List<Language> merged =
        LanguageRegistry.merge(
            List.of(
                view(2, "3.11.1", version("3.11", false)),
                view(1, "3.13.1", version("3.13", true))),
            ALL_LIVE);

    assertThat(merged).hasSize(1);
    assertThat(merged.get(0).getVersion()).isEqualTo("3.13.1");
    assertThat(names(merged.get(0))).containsExactly("3.13*", "3.11");
  }

  @Test
  void workersThatDisagreeOnTheDefaultMakeOneDefaultTheFreshestViewsOne() {
    View upgraded = view(20, "3.13.1", version("3.13", true), version("3.12", false));
    View older = view(10, "3.12.1", version("3.12", true), version("3.11", false));

    Language merged = LanguageRegistry.merge(List.of(older, upgraded), ALL_LIVE).get(0);

    assertThat(names(merged)).containsExactly("3.13*", "3.12", "3.11");
    assertThat(merged.getVersion()).isEqualTo("3.13.1");
  }

  @Test
  void theTopLevelFieldsComeFromTheViewWithTheDefaultWhateverTheFieldNamesSortOrder() {
    View newer = view(5, "3.10.1", version("3.10", true));
    View stale = view(1, "3.9.1", version("3.9", true));

    assertThat(LanguageRegistry.merge(List.of(stale, newer), ALL_LIVE).get(0).getVersion())
        .isEqualTo("3.10.1");
  }

  @Test
  void aVersionWhoseQueueNoWorkerReadsIsLeftOut() {
    View both = view(1, "3.13.1", version("3.13", true), version("3.11", false));

    assertThat(names(LanguageRegistry.merge(List.of(both), Set.of("python@3.11")).get(0)))
        .containsExactly("3.11");
    assertThat(LanguageRegistry.merge(List.of(both), Set.of("c"))).isEmpty();
  }

  @Test
  void aViewWithoutVersionsCountsWhenItsLanguagesQueueIsLive() {
    Language legacy = Language.newBuilder().setName("python").setVersion("3.11.2").build();

    assertThat(LanguageRegistry.merge(List.of(new View(legacy, 1)), Set.of("python")))
        .containsExactly(legacy);
    assertThat(LanguageRegistry.merge(List.of(new View(legacy, 1)), Set.of())).isEmpty();
  }

  @Test
  void aWorkerReadsEachVersionsQueueAndItsLanguagesOwnForTheDefault() {
    assertThat(QueueNames.served(language("3.13.1", version("3.13", true), version("3.11", false))))
        .containsExactly("python@3.13", "python", "python@3.11");
  }
}

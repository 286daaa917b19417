package dev.polyrun.queue;

import static org.assertj.core.api.Assertions.assertThat;

import dev.polyrun.proto.v1.Language;
import dev.polyrun.proto.v1.LanguageVersion;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** Workers with different versions of a language write their own views; a read merges them. */
class LanguageRegistryTest {
  private static LanguageVersion version(String name, boolean isDefault) {
    return LanguageVersion.newBuilder().setName(name).setVersion(name + ".1").setIsDefault(isDefault).build();
  }

  private static Language view(String top, LanguageVersion... versions) {
    return Language.newBuilder().setName("python").setVersion(top).addAllVersions(List.of(versions)).build();
  }

  @Test
  void twoWorkersViewsOfALanguageHaveTheirOwnFields() {
    assertThat(LanguageRegistry.field(view("3.13.1", version("3.13", true), version("3.11", false))))
        .isEqualTo("python@3.11,3.13");
    assertThat(LanguageRegistry.field(view("3.11.1", version("3.11", false)))).isEqualTo("python@3.11");
  }

  @Test
  void viewsMergeIntoOneEntryWithEveryLiveVersionTheDefaultFirstAndItsTopLevelFields() {
    Language onlyOld = view("3.11.1", version("3.11", false));
    Language onlyDefault = view("3.13.1", version("3.13", true));

    List<Language> merged = LanguageRegistry.merge(List.of(onlyOld, onlyDefault), Set.of("python", "python@3.11"));

    assertThat(merged).hasSize(1);
    assertThat(merged.get(0).getVersion()).isEqualTo("3.13.1");
    assertThat(merged.get(0).getVersionsList()).extracting(LanguageVersion::getName).containsExactly("3.13", "3.11");
  }

  @Test
  void aVersionNoWorkerAdvertisedWithinTheRetentionIsLeftOut() {
    Language both = view("3.13.1", version("3.13", true), version("3.11", false));

    assertThat(LanguageRegistry.merge(List.of(both), Set.of("python@3.11")).get(0).getVersionsList())
        .extracting(LanguageVersion::getName).containsExactly("3.11");
    assertThat(LanguageRegistry.merge(List.of(both), Set.of("c"))).isEmpty();
  }

  @Test
  void aViewWithoutVersionsCountsWhenItsLanguagesQueueIsLive() {
    Language legacy = Language.newBuilder().setName("python").setVersion("3.11.2").build();

    assertThat(LanguageRegistry.merge(List.of(legacy), Set.of("python"))).containsExactly(legacy);
    assertThat(LanguageRegistry.merge(List.of(legacy), Set.of())).isEmpty();
  }
}

package org.metaopt.ops.rules;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The house rules of docs/ARCHITECTURE.md as tests, over the main classes of every module (they are all on this
 * module's test classpath): core is numerics and contracts without Kafka, Avro, Reactor or Deeplearning4j; the kernel
 * layer imports nothing above it; the three services never import each other; dl4j sits beside them (core and stream
 * below it, no service, and nothing but ops imports it); nothing imports ops or bench; no package cycles.
 */
class LayeringTest {
  private static JavaClasses all;

  @BeforeAll
  static void importClasses() {
    all = new ClassFileImporter()
        .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
        .importPackages("org.metaopt");
  }

  @Test
  void everyModuleIsImported() {
    for (String pkg : List.of("org.metaopt.core", "org.metaopt.stream", "org.metaopt.producer",
        "org.metaopt.metalearner", "org.metaopt.evaluator", "org.metaopt.dl4j", "org.metaopt.ops")) {
      assertTrue(all.containPackage(pkg), "no classes found in " + pkg);
    }
  }

  @Test
  void coreImportsNoKafkaAvroOrReactorAndNothingAboveIt() {
    noClasses().that().resideInAPackage("org.metaopt.core..")
        .should().dependOnClassesThat().resideInAnyPackage("org.apache.kafka..", "kafka..", "org.apache.avro..",
            "reactor..", "org.metaopt.stream..", "org.metaopt.producer..", "org.metaopt.metalearner..",
            "org.metaopt.evaluator..", "org.metaopt.dl4j..", "org.deeplearning4j..", "org.metaopt.ops..",
            "org.metaopt.bench..")
        .check(all);
  }

  @Test
  void dl4jUsesCoreAndStreamOnlyAndOnlyOpsUsesIt() {
    noClasses().that().resideInAPackage("org.metaopt.dl4j..")
        .should().dependOnClassesThat().resideInAnyPackage("org.metaopt.producer..", "org.metaopt.metalearner..",
            "org.metaopt.evaluator..", "org.metaopt.ops..", "org.metaopt.bench..")
        .check(all);
    noClasses().that().resideOutsideOfPackages("org.metaopt.dl4j..", "org.metaopt.ops..")
        .should().dependOnClassesThat().resideInAPackage("org.metaopt.dl4j..")
        .check(all);
    noClasses().that().resideOutsideOfPackages("org.metaopt.dl4j..", "org.metaopt.ops..")
        .should().dependOnClassesThat().resideInAPackage("org.deeplearning4j..")
        .check(all);
  }

  @Test
  void theKernelImportsNothingAboveIt() {
    classes().that().resideInAPackage("org.metaopt.core.kernel..")
        .should().onlyDependOnClassesThat().resideInAnyPackage("org.metaopt.core.kernel..", "org.metaopt.core",
            "java..", "jdk.incubator.vector..", "org.nd4j..", "org.bytedeco..")
        .check(all);
  }

  @Test
  void theServicesNeverImportEachOther() {
    noClasses().that().resideInAPackage("org.metaopt.producer..")
        .should().dependOnClassesThat().resideInAnyPackage("org.metaopt.metalearner..", "org.metaopt.evaluator..")
        .check(all);
    noClasses().that().resideInAPackage("org.metaopt.metalearner..")
        .should().dependOnClassesThat().resideInAnyPackage("org.metaopt.producer..", "org.metaopt.evaluator..")
        .check(all);
    noClasses().that().resideInAPackage("org.metaopt.evaluator..")
        .should().dependOnClassesThat().resideInAnyPackage("org.metaopt.producer..", "org.metaopt.metalearner..")
        .check(all);
  }

  @Test
  void nothingImportsOps() {
    noClasses().that().resideOutsideOfPackage("org.metaopt.ops..")
        .should().dependOnClassesThat().resideInAPackage("org.metaopt.ops..")
        .check(all);
  }

  @Test
  void noModuleDependsOnTheBenchmarks() throws IOException {
    Path root = Path.of("..").toAbsolutePath().normalize();
    try (Stream<Path> poms = Files.list(root)) {
      for (Path dir : poms.filter(Files::isDirectory).toList()) {
        Path pom = dir.resolve("pom.xml");
        if (Files.isRegularFile(pom) && !dir.getFileName().toString().equals("bench")) {
          String text = Files.readString(pom);
          assertTrue(!text.contains("<artifactId>metaopt-bench</artifactId>"), pom + " depends on metaopt-bench");
        }
      }
    }
  }

  @Test
  void noPackageCycles() {
    slices().matching("org.metaopt.(**)").should().beFreeOfCycles().check(all);
  }
}

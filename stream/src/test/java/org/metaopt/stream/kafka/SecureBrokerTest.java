package org.metaopt.stream.kafka;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.SaslAuthenticationException;
import org.apache.kafka.common.errors.TopicAuthorizationException;
import org.apache.kafka.common.errors.TransactionalIdAuthorizationException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.metaopt.core.version.OptimizerVersion;
import org.metaopt.stream.wire.WireFormat;

/**
 * Acceptance of {@code ./metaopt broker --secure}: a producer principal cannot publish a version (not as itself,
 * not with the learner's transactional id) and nothing lands on the versions topic; the learner principal can; a
 * client without credentials, or with a wrong password, can neither read nor write; each service principal is held
 * to its own topics; the client files work as {@code --kafka-config}.
 */
@Timeout(180)
class SecureBrokerTest {
  private static final Topics TOPICS = new Topics("sec");
  private static EmbeddedBroker broker;
  @TempDir static Path tmp;

  @BeforeAll
  static void start() {
    Path clients = tmp.resolve("clients");
    broker = EmbeddedBroker.start(Path.of("target", "kafka-secure-test-" + ProcessHandle.current().pid()), 0,
        Map.of(), BrokerSecurity.open(clients, TOPICS, Map.of()));
    KafkaSettings admin = broker.settings("admin", TOPICS);
    TOPICS.ensure(admin, Duration.ofSeconds(60));
  }

  @AfterAll
  static void stop() {
    broker.close();
  }

  private static Map<String, Object> quick(Map<String, Object> config) {
    Map<String, Object> m = new HashMap<>(config);
    m.put("max.block.ms", 3000);
    m.put("request.timeout.ms", 2000);
    m.put("delivery.timeout.ms", 3000);
    m.put("linger.ms", 0);
    m.put("default.api.timeout.ms", 3000);
    return m;
  }

  private static OptimizerVersion version(long n) {
    OptimizerVersion.Provenance p = new OptimizerVersion.Provenance("c", "PES", Map.of(), List.of(), 0, "dev", "t", 0,
        "");
    return OptimizerVersion.of(n, n - 1, "test", Map.of(), new float[] {1, 2, 3}, null, p);
  }

  private static ProducerRecord<byte[], byte[]> versionRecord(long n) {
    return new ProducerRecord<>(TOPICS.versions(), VersionLog.key(n), WireFormat.encode(version(n)));
  }

  /** Sends {@code r} as {@code config} and returns why it failed (null when it was acknowledged). */
  private static Throwable send(Map<String, Object> config, ProducerRecord<byte[], byte[]> r) {
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(quick(config))) {
      p.send(r).get();
      return null;
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (RuntimeException e) {
      return e;
    } catch (InterruptedException e) {
      throw new AssertionError(e);
    }
  }

  private static Throwable read(Map<String, Object> config, String topic) {
    TopicPartition tp = new TopicPartition(topic, 0);
    try (KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(quick(config))) {
      c.assign(List.of(tp));
      c.seekToBeginning(List.of(tp));
      c.poll(Duration.ofSeconds(1));
      c.position(tp, Duration.ofSeconds(2));
      return null;
    } catch (RuntimeException e) {
      return e;
    }
  }

  private static List<Long> versionsOnTopic() {
    return VersionLog.readAll(broker.settings("admin", TOPICS), Duration.ofSeconds(30)).stream()
        .map(OptimizerVersion::version).toList();
  }

  @Test
  void aProducerPrincipalCannotPublishAVersionAndNothingLands() throws Exception {
    KafkaSettings producer = broker.settings("producer", TOPICS);
    Throwable plain = send(producer.producer("forger"), versionRecord(666));
    assertInstanceOf(TopicAuthorizationException.class, plain, String.valueOf(plain));
    Map<String, Object> tx = quick(producer.transactionalProducer("forger-tx", TOPICS.prefix() + ".learner"));
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(tx)) {
      assertThrows(TransactionalIdAuthorizationException.class, p::initTransactions,
          "the learner's transactional id is the learner's");
    }
    assertFalse(versionsOnTopic().contains(666L), "no forged version on the topic: " + versionsOnTopic());
    assertEquals(null, send(producer.producer("segments"), new ProducerRecord<>(TOPICS.trajectories(),
        ByteBuffer.allocate(8).putLong(1).array(), new byte[] {1})), "it may write trajectories");
  }

  @Test
  void theLearnerPrincipalPublishesAVersionInItsTransaction() {
    KafkaSettings learner = broker.settings("learner", TOPICS);
    try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(quick(learner.transactionalProducer("learner-tx",
        TOPICS.prefix() + ".learner")))) {
      p.initTransactions();
      p.beginTransaction();
      p.send(versionRecord(7));
      p.commitTransaction();
    }
    assertTrue(versionsOnTopic().contains(7L), versionsOnTopic().toString());
    assertEquals(null, read(learner.consumer("learner-reads", null), TOPICS.trajectories()));
    assertInstanceOf(TopicAuthorizationException.class, send(learner.producer("learner-evals"),
        new ProducerRecord<>(TOPICS.evaluations(), VersionLog.key(7), new byte[] {1})), "evaluations are not its");
  }

  @Test
  void aClientWithoutCredentialsOrWithAWrongPasswordCanNeitherReadNorWrite() {
    KafkaSettings anonymous = KafkaSettings.of(broker.bootstrapServers()).withTopics(TOPICS);
    assertTrue(send(anonymous.producer("anonymous"), new ProducerRecord<>(TOPICS.trajectories(), new byte[] {1}))
        instanceof org.apache.kafka.common.errors.TimeoutException, "no SASL: the broker does not answer");
    assertTrue(read(anonymous.consumer("anonymous", null), TOPICS.versions())
        instanceof org.apache.kafka.common.errors.TimeoutException);

    Map<String, String> wrong = new HashMap<>(broker.security().clientConfig("producer"));
    wrong.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required "
        + "username=\"producer\" password=\"guessed\";");
    KafkaSettings guessed = new KafkaSettings(broker.bootstrapServers(), wrong, TOPICS);
    assertInstanceOf(SaslAuthenticationException.class, send(guessed.producer("guessed"),
        new ProducerRecord<>(TOPICS.trajectories(), new byte[] {1})));
    assertInstanceOf(SaslAuthenticationException.class, read(guessed.consumer("guessed", null), TOPICS.versions()));
  }

  @Test
  void eachServicePrincipalReadsAndWritesOnlyWhatItNeeds() {
    KafkaSettings evaluator = broker.settings("evaluator", TOPICS);
    assertEquals(null, send(evaluator.producer("evaluator"), new ProducerRecord<>(TOPICS.evaluations(),
        VersionLog.key(1), new byte[] {1})));
    assertEquals(null, read(evaluator.consumer("evaluator", null), TOPICS.evaluations()));
    assertEquals(null, read(evaluator.consumer("evaluator", null), TOPICS.versions()));
    assertInstanceOf(TopicAuthorizationException.class, send(evaluator.producer("evaluator"), versionRecord(99)));
    assertInstanceOf(TopicAuthorizationException.class, read(evaluator.consumer("evaluator", null),
        TOPICS.trajectories()));
    KafkaSettings producer = broker.settings("producer", TOPICS);
    assertEquals(null, read(producer.consumer("producer", null), TOPICS.versions()));
    assertInstanceOf(TopicAuthorizationException.class, read(producer.consumer("producer", null),
        TOPICS.trajectories()), "a producer does not read what others produced");
    assertInstanceOf(TopicAuthorizationException.class, send(producer.producer("producer"), new ProducerRecord<>(
        TOPICS.evaluations(), VersionLog.key(1), new byte[] {1})));
  }

  @Test
  void theClientFilesWorkAsKafkaConfigAndAreTheOwnersOnly() throws Exception {
    for (String principal : BrokerSecurity.PRINCIPALS) {
      Path file = tmp.resolve("clients").resolve(principal + ".properties");
      assertTrue(Files.isRegularFile(file), file.toString());
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
      Map<String, String> fromFile = KafkaSettings.readConfigFile(file);
      assertEquals(broker.security().clientConfig(principal), fromFile);
    }
    KafkaSettings viaFile = new KafkaSettings(broker.bootstrapServers(),
        KafkaSettings.readConfigFile(tmp.resolve("clients").resolve("admin.properties")), TOPICS);
    TOPICS.ensure(viaFile, Duration.ofSeconds(30)); // the admin lists (and could create) topics
    BrokerSecurity again = BrokerSecurity.open(tmp.resolve("clients"), TOPICS, Map.of());
    assertEquals(broker.security().clientConfig("learner"), again.clientConfig("learner"),
        "a restarted secure broker keeps the passwords in its client files");
  }

  private static void keytool(Path dir, String... args) throws Exception {
    List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "keytool")
        .toString()));
    cmd.addAll(List.of(args));
    Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
    String out = new String(p.getInputStream().readAllBytes());
    assertEquals(0, p.waitFor(), "keytool " + String.join(" ", args) + ": " + out);
  }

  @Test
  void tlsComesFromTheBrokersKafkaConfigAndReachesTheClientFiles() throws Exception {
    Path dir = Files.createDirectories(tmp.resolve("tls"));
    keytool(dir, "-genkeypair", "-alias", "broker", "-keyalg", "RSA", "-keysize", "2048", "-dname", "CN=127.0.0.1",
        "-ext", "SAN=IP:127.0.0.1", "-validity", "2", "-storetype", "PKCS12", "-keystore", "ks.p12", "-storepass",
        "secret", "-keypass", "secret");
    keytool(dir, "-exportcert", "-alias", "broker", "-keystore", "ks.p12", "-storepass", "secret", "-rfc", "-file",
        "broker.pem");
    keytool(dir, "-importcert", "-noprompt", "-alias", "broker", "-file", "broker.pem", "-keystore", "ts.p12",
        "-storetype", "PKCS12", "-storepass", "secret");
    Map<String, String> extra = Map.of("ssl.keystore.location", dir.resolve("ks.p12").toString(),
        "ssl.keystore.password", "secret", "ssl.keystore.type", "PKCS12", "ssl.key.password", "secret",
        "ssl.truststore.location", dir.resolve("ts.p12").toString(), "ssl.truststore.password", "secret",
        "ssl.truststore.type", "PKCS12");
    try (EmbeddedBroker tls = EmbeddedBroker.start(Path.of("target", "kafka-secure-tls-test-"
        + ProcessHandle.current().pid()), 0, extra, BrokerSecurity.open(dir.resolve("clients"), TOPICS, extra))) {
      assertEquals("SASL_SSL", tls.security().protocol());
      Map<String, String> file = KafkaSettings.readConfigFile(dir.resolve("clients").resolve("learner.properties"));
      assertEquals("SASL_SSL", file.get("security.protocol"));
      assertEquals(dir.resolve("ts.p12").toString(), file.get("ssl.truststore.location"));
      TOPICS.ensure(tls.settings("admin", TOPICS), Duration.ofSeconds(60));
      KafkaSettings learner = new KafkaSettings(tls.bootstrapServers(), file, TOPICS);
      try (KafkaProducer<byte[], byte[]> p = new KafkaProducer<>(quick(learner.transactionalProducer("learner-tls",
          TOPICS.prefix() + ".learner")))) {
        p.initTransactions();
        p.beginTransaction();
        p.send(versionRecord(3));
        p.commitTransaction();
      }
      Map<String, String> cleartext = new HashMap<>(file);
      cleartext.put("security.protocol", "SASL_PLAINTEXT");
      assertTrue(send(new KafkaSettings(tls.bootstrapServers(), cleartext, TOPICS).producer("cleartext"),
          versionRecord(4)) != null, "SASL without TLS is refused on a TLS listener");
    }
  }
}

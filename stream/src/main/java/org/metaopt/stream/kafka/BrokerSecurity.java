package org.metaopt.stream.kafka;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.metaopt.core.UserError;

/**
 * How a {@code --secure} {@link EmbeddedBroker} is locked down. Clients authenticate with SASL/SCRAM-SHA-512 on the
 * client listener (SASL_SSL instead of SASL_PLAINTEXT when the broker's extra properties give it a
 * {@code ssl.keystore.location}); the broker and its controller talk over loopback listeners with SASL/PLAIN and a
 * secret made anew at every start; the StandardAuthorizer denies what no ACL allows. There is one principal per
 * service ({@link #PRINCIPALS}); {@link BrokerAcls} says what each may do. Each principal's password lives in its
 * client properties file in the client folder (owner-only permissions), made on first use and reused afterwards,
 * so clients keep working across broker restarts. Immutable after {@link #open}.
 */
public final class BrokerSecurity {
  /** The principals, one per service, and {@code admin} (a super user: topics, export, import, replay). */
  public static final List<String> PRINCIPALS = List.of("learner", "producer", "evaluator", "admin");
  /** The broker's own principal on its internal and controller listeners. */
  static final String BROKER_USER = "broker";
  private static final Pattern PASSWORD = Pattern.compile("password=\"([^\"]+)\"");

  private final Path clientDir;
  private final Topics topics;
  private final Map<String, String> passwords;
  private final String brokerSecret;
  private final Map<String, String> tls;

  private BrokerSecurity(Path clientDir, Topics topics, Map<String, String> passwords, Map<String, String> tls) {
    this.clientDir = clientDir;
    this.topics = topics;
    this.passwords = Map.copyOf(passwords);
    this.brokerSecret = secret();
    this.tls = Map.copyOf(tls);
  }

  /**
   * The security for topics {@code topics}, with client files in {@code clientDir}: passwords are read back from
   * the files already there and made for the others. {@code brokerExtra}: the broker's extra properties; a
   * {@code ssl.keystore.location} there turns the client listener to SASL_SSL, and its {@code ssl.truststore.*}
   * settings are copied into the client files.
   */
  public static BrokerSecurity open(Path clientDir, Topics topics, Map<String, String> brokerExtra) {
    try {
      Files.createDirectories(clientDir);
    } catch (IOException e) {
      throw new UserError("--secure " + clientDir + ": cannot create the folder for the client files: "
          + e.getMessage());
    }
    Map<String, String> passwords = new LinkedHashMap<>();
    for (String p : PRINCIPALS) {
      passwords.put(p, existingPassword(clientDir.resolve(p + ".properties")));
    }
    Map<String, String> tls = new LinkedHashMap<>();
    if (brokerExtra.containsKey("ssl.keystore.location")) {
      tls.put("security.protocol", "SASL_SSL");
      brokerExtra.forEach((k, v) -> {
        if (k.startsWith("ssl.truststore.")) {
          tls.put(k, v);
        }
      });
    }
    return new BrokerSecurity(clientDir, topics, passwords, tls);
  }

  private static String existingPassword(Path file) {
    if (!Files.isRegularFile(file)) {
      return secret();
    }
    Properties p = new Properties();
    try (var r = Files.newBufferedReader(file)) {
      p.load(r);
    } catch (IOException | IllegalArgumentException e) {
      throw new UserError("--secure: cannot read " + file + " (" + e.getMessage() + "); delete it to make a new "
          + "password");
    }
    Matcher m = PASSWORD.matcher(p.getProperty("sasl.jaas.config", ""));
    if (!m.find()) {
      throw new UserError("--secure: " + file + " has no password in sasl.jaas.config; delete it to make a new one");
    }
    return m.group(1);
  }

  private static String secret() {
    byte[] b = new byte[18];
    new SecureRandom().nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  public Path clientDir() {
    return clientDir;
  }

  public Topics topics() {
    return topics;
  }

  /** Whether the client listener speaks TLS. */
  public boolean tls() {
    return tls.containsKey("security.protocol");
  }

  /** The client listener's security protocol. */
  public String protocol() {
    return tls() ? "SASL_SSL" : "SASL_PLAINTEXT";
  }

  /** Sets the server properties of the listeners on these ports, SASL and the authorizer. */
  void configure(Properties p, int clientPort, int internalPort, int controllerPort) {
    p.put("listeners", "CLIENT://127.0.0.1:" + clientPort + ",INTERNAL://127.0.0.1:" + internalPort
        + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "CLIENT://127.0.0.1:" + clientPort + ",INTERNAL://127.0.0.1:" + internalPort);
    p.put("listener.security.protocol.map", "CLIENT:" + protocol()
        + ",INTERNAL:SASL_PLAINTEXT,CONTROLLER:SASL_PLAINTEXT");
    p.put("inter.broker.listener.name", "INTERNAL");
    p.put("sasl.mechanism.inter.broker.protocol", "PLAIN");
    p.put("sasl.mechanism.controller.protocol", "PLAIN");
    p.put("listener.name.client.sasl.enabled.mechanisms", "SCRAM-SHA-512");
    p.put("listener.name.client.scram-sha-512.sasl.jaas.config",
        "org.apache.kafka.common.security.scram.ScramLoginModule required;");
    String plain = "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + BROKER_USER
        + "\" password=\"" + brokerSecret + "\" user_" + BROKER_USER + "=\"" + brokerSecret + "\";";
    for (String listener : List.of("internal", "controller")) {
      p.put("listener.name." + listener + ".sasl.enabled.mechanisms", "PLAIN");
      p.put("listener.name." + listener + ".plain.sasl.jaas.config", plain);
    }
    p.put("authorizer.class.name", "org.apache.kafka.metadata.authorizer.StandardAuthorizer");
    p.put("super.users", "User:" + BROKER_USER + ";User:admin");
    p.put("allow.everyone.if.no.acl.found", "false");
  }

  /** Client settings of the broker's own principal on its internal listener (to provision credentials and ACLs). */
  Map<String, String> brokerClient() {
    return Map.of("security.protocol", "SASL_PLAINTEXT", "sasl.mechanism", "PLAIN", "sasl.jaas.config",
        "org.apache.kafka.common.security.plain.PlainLoginModule required username=\"" + BROKER_USER
            + "\" password=\"" + brokerSecret + "\";");
  }

  /** A principal's client settings, as in its file: pass them as {@link KafkaSettings#extra()}. */
  public Map<String, String> clientConfig(String principal) {
    String password = passwords.get(principal);
    if (password == null) {
      throw new IllegalArgumentException("no principal '" + principal + "'; the principals are " + PRINCIPALS);
    }
    Map<String, String> m = new LinkedHashMap<>();
    m.put("security.protocol", "SASL_PLAINTEXT");
    m.putAll(tls);
    m.put("sasl.mechanism", "SCRAM-SHA-512");
    m.put("sasl.jaas.config", "org.apache.kafka.common.security.scram.ScramLoginModule required username=\""
        + principal + "\" password=\"" + password + "\";");
    return m;
  }

  String password(String principal) {
    return passwords.get(principal);
  }

  /** Writes {@code <principal>.properties} for every principal into the client folder, readable by the owner only. */
  void writeClientFiles(String bootstrapServers) {
    for (String principal : PRINCIPALS) {
      Path file = clientDir.resolve(principal + ".properties");
      StringBuilder text = new StringBuilder();
      text.append("# metaopt client settings of principal '").append(principal).append("' for the broker at ")
          .append(bootstrapServers).append(" (./metaopt broker --secure).\n")
          .append("# Pass with --kafka-config ").append(file).append(". It holds the password: keep it private.\n");
      if (tls() && tls.keySet().stream().noneMatch(k -> k.startsWith("ssl.truststore."))) {
        text.append("# TLS: add ssl.truststore.location and ssl.truststore.password unless the JVM already trusts "
            + "the broker's certificate.\n");
      }
      clientConfig(principal).forEach((k, v) -> text.append(k).append('=').append(v).append('\n'));
      try {
        Files.writeString(file, text);
        try {
          Files.setPosixFilePermissions(file, PosixFilePermissions.fromString("rw-------"));
        } catch (UnsupportedOperationException e) {
          // not a POSIX file system: the folder's own permissions apply
        }
      } catch (IOException e) {
        throw new UserError("--secure " + clientDir + ": cannot write " + file + ": " + e.getMessage());
      }
    }
  }
}

package org.metaopt.stream.kafka;

import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ScramCredentialInfo;
import org.apache.kafka.clients.admin.ScramMechanism;
import org.apache.kafka.clients.admin.UserScramCredentialAlteration;
import org.apache.kafka.clients.admin.UserScramCredentialUpsertion;
import org.apache.kafka.common.acl.AccessControlEntry;
import org.apache.kafka.common.acl.AclBinding;
import org.apache.kafka.common.acl.AclOperation;
import org.apache.kafka.common.acl.AclPermissionType;
import org.apache.kafka.common.resource.PatternType;
import org.apache.kafka.common.resource.ResourcePattern;
import org.apache.kafka.common.resource.ResourceType;

/**
 * The principals' credentials and ACLs on a {@code --secure} broker, and their provisioning. What each may do:
 *
 * <ul>
 *   <li>{@code learner}: read trajectories in its group {@code <prefix>.learner}, write versions and dead letters
 *       with its transactional id {@code <prefix>.learner} (the only one allowed to), read versions;
 *   <li>{@code producer}: write trajectories, read versions;
 *   <li>{@code evaluator}: write and read evaluations, read versions;
 *   <li>{@code admin}: a super user (creates topics; export, import, replay);
 *   <li>every service principal may describe the four topics (metadata and offsets only).
 * </ul>
 *
 * Nothing else is allowed: no ACL, no access. Stateless.
 */
final class BrokerAcls {
  private BrokerAcls() {}

  /** The ACL bindings of the service principals on {@code topics}. */
  static List<AclBinding> bindings(Topics topics) {
    List<AclBinding> out = new ArrayList<>();
    String group = topics.prefix() + ".learner";
    allow(out, "learner", ResourceType.TOPIC, topics.trajectories(), AclOperation.READ);
    allow(out, "learner", ResourceType.GROUP, group, AclOperation.READ);
    allow(out, "learner", ResourceType.TOPIC, topics.versions(), AclOperation.WRITE, AclOperation.READ);
    allow(out, "learner", ResourceType.TOPIC, topics.deadLetters(), AclOperation.WRITE);
    allow(out, "learner", ResourceType.TRANSACTIONAL_ID, topics.prefix() + ".learner", AclOperation.WRITE,
        AclOperation.DESCRIBE);
    allow(out, "producer", ResourceType.TOPIC, topics.trajectories(), AclOperation.WRITE);
    allow(out, "producer", ResourceType.TOPIC, topics.versions(), AclOperation.READ);
    allow(out, "evaluator", ResourceType.TOPIC, topics.evaluations(), AclOperation.WRITE, AclOperation.READ);
    allow(out, "evaluator", ResourceType.TOPIC, topics.versions(), AclOperation.READ);
    for (String principal : List.of("learner", "producer", "evaluator")) {
      for (String topic : topics.all()) {
        allow(out, principal, ResourceType.TOPIC, topic, AclOperation.DESCRIBE);
      }
    }
    return out;
  }

  private static void allow(List<AclBinding> out, String principal, ResourceType type, String name,
      AclOperation... operations) {
    for (AclOperation op : operations) {
      out.add(new AclBinding(new ResourcePattern(type, name, PatternType.LITERAL),
          new AccessControlEntry("User:" + principal, "*", op, AclPermissionType.ALLOW)));
    }
  }

  /**
   * Creates (or updates) every principal's SCRAM-SHA-512 credential and the ACLs, as the broker's own principal on
   * its internal listener, then waits until the {@code admin} principal can log in on the client listener.
   */
  static void provision(BrokerSecurity security, String internalBootstrap, String clientBootstrap,
      Duration timeout) {
    Map<String, Object> config = new HashMap<>(security.brokerClient());
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, internalBootstrap);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int) timeout.toMillis());
    try (Admin admin = Admin.create(config)) {
      List<UserScramCredentialAlteration> credentials = new ArrayList<>();
      for (String p : BrokerSecurity.PRINCIPALS) {
        credentials.add(new UserScramCredentialUpsertion(p, new ScramCredentialInfo(ScramMechanism.SCRAM_SHA_512,
            8192), security.password(p)));
      }
      admin.alterUserScramCredentials(credentials).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      admin.createAcls(bindings(security.topics())).all().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
    } catch (ExecutionException | TimeoutException e) {
      Throwable cause = e instanceof ExecutionException ? e.getCause() : e;
      throw new IllegalStateException("the secure broker could not set up its principals and ACLs: " + cause, cause);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted while setting up the secure broker's principals", e);
    }
    awaitLogin(security, clientBootstrap, timeout);
  }

  /** Waits until the admin principal authenticates on the client listener (credentials reach the broker). */
  private static void awaitLogin(BrokerSecurity security, String clientBootstrap, Duration timeout) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Map<String, Object> config = new HashMap<>(security.clientConfig("admin"));
    config.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, clientBootstrap);
    config.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, 5000);
    config.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, 5000);
    RuntimeException last = null;
    while (System.nanoTime() < deadline) {
      try (Admin admin = Admin.create(config)) {
        admin.describeAcls(org.apache.kafka.common.acl.AclBindingFilter.ANY).values().get(5, TimeUnit.SECONDS);
        return;
      } catch (ExecutionException | TimeoutException e) {
        last = new IllegalStateException(String.valueOf(e instanceof ExecutionException ? e.getCause() : e));
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the secure broker", e);
      }
      try {
        Thread.sleep(200);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while waiting for the secure broker", e);
      }
    }
    throw new IllegalStateException("the admin principal could not log in to the secure broker at "
        + clientBootstrap + " within " + timeout.toSeconds() + " s: " + (last == null ? "" : last.getMessage()));
  }
}

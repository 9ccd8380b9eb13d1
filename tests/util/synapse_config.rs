//! The homeserver.yaml of a throwaway test Synapse: loopback only, no
//! federation, sqlite, and rate limits far beyond anything a test does, unless a test
//! asks for Synapse's own defaults (to meet them as a real deployment does).

use std::collections::BTreeMap;
use std::path::Path;

/// Every rate limiter Synapse has, so that no test ever sees `M_LIMIT_EXCEEDED`
/// (bursts of logins, joins, invites and messages are normal in tests).
const RATE_LIMITS: &[&str] = &[
    "rc_message",
    "rc_registration",
    "rc_registration_token_validity",
    "rc_login.address",
    "rc_login.account",
    "rc_login.failed_attempts",
    "rc_admin_redaction",
    "rc_joins.local",
    "rc_joins.remote",
    "rc_joins_per_room",
    "rc_key_requests",
    "rc_3pid_validation",
    "rc_invites.per_room",
    "rc_invites.per_user",
    "rc_invites.per_issuer",
    "rc_third_party_invite",
    "rc_media_create",
    "rc_presence.per_user",
    "rc_delayed_event_mgmt",
    "rc_room_creation",
    "rc_reports",
    "rc_user_directory",
    "rc_profile",
];

/// Which rate limits a test Synapse applies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RateLimits {
    /// Every limiter raised far beyond what a test does.
    Raised,
    /// Synapse's shipped defaults (e.g. `rc_room_creation`: a burst of 10, then one
    /// room a minute).
    SynapseDefaults,
}

/// Renders homeserver.yaml for a Synapse listening on `127.0.0.1:port` with
/// all its state under `dir`.
pub fn homeserver_yaml(
    server_name: &str,
    port: u16,
    dir: &Path,
    shared_secret: &str,
    limits: RateLimits,
) -> String {
    let dir = dir.display();
    let mut yaml = format!(
        r#"server_name: "{server_name}"
public_baseurl: "http://127.0.0.1:{port}/"
pid_file: "{dir}/homeserver.pid"
listeners:
  - port: {port}
    bind_addresses: ["127.0.0.1"]
    type: http
    tls: false
    x_forwarded: false
    resources:
      - names: [client]
        compress: false
database:
  name: sqlite3
  args:
    database: "{dir}/homeserver.db"
media_store_path: "{dir}/media"
signing_key_path: "{dir}/signing.key"
# No federation: nobody else's keys to fetch, nothing to report.
trusted_key_servers: []
suppress_key_server_warning: true
report_stats: false
enable_metrics: false
registration_shared_secret: "{shared_secret}"
enable_registration: false
# Registration and login hash passwords; the default cost is slow on purpose.
bcrypt_rounds: 4
presence:
  enabled: false
"#
    );
    if limits == RateLimits::Raised {
        yaml.push_str(&rate_limits_yaml());
    }
    yaml
}

/// Renders `RATE_LIMITS` as YAML, nesting dotted keys (`a.b` becomes
/// `a: {b: ...}`) as Synapse reads them, one mapping per outer key.
fn rate_limits_yaml() -> String {
    const HUGE: &str = "{per_second: 100000, burst_count: 100000}";
    let mut nested: BTreeMap<&str, Vec<&str>> = BTreeMap::new();
    let mut yaml = String::new();
    for key in RATE_LIMITS {
        match key.split_once('.') {
            None => yaml.push_str(&format!("{key}: {HUGE}\n")),
            Some((outer, inner)) => nested.entry(outer).or_default().push(inner),
        }
    }
    for (outer, inners) in nested {
        yaml.push_str(&format!("{outer}:\n"));
        for inner in inners {
            yaml.push_str(&format!("  {inner}: {HUGE}\n"));
        }
    }
    yaml
}

//! `supervise/chainit`: what the init knows of a service beyond s6's
//! `supervise/status` — restarts, a give-up, the next start under backoff,
//! health, sd_notify's STATUS — for `chainit status`. Written (atomically)
//! only for services with a policy file, so a plain s6 tree costs nothing.
//! One `key value` line each; values never hold a newline.

use std::path::Path;
use std::time::{Duration, SystemTime, UNIX_EPOCH};

pub const FILE: &str = "supervise/chainit";

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Health {
    /// Checked, but not yet failed or passed since the last start.
    Starting,
    Healthy,
    Unhealthy,
}

impl Health {
    pub fn as_str(self) -> &'static str {
        match self {
            Health::Starting => "starting",
            Health::Healthy => "healthy",
            Health::Unhealthy => "unhealthy",
        }
    }
    fn parse(s: &str) -> Option<Self> {
        Some(match s {
            "starting" => Health::Starting,
            "healthy" => Health::Healthy,
            "unhealthy" => Health::Unhealthy,
            _ => return None,
        })
    }
}

#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Details {
    pub essential: bool,
    /// Starts after the first.
    pub restarts: u32,
    pub gave_up: Option<String>,
    pub next_start: Option<SystemTime>,
    pub health: Option<Health>,
    /// The last check's exit code (128+n when killed by signal n) and the
    /// first line it wrote.
    pub health_exit: Option<i32>,
    pub health_output: Option<String>,
    /// The last `STATUS=` sent on the notify socket.
    pub notify_status: Option<String>,
}

fn one_line(s: &str) -> String {
    s.replace(['\n', '\r'], " ")
}

impl Details {
    pub fn encode(&self) -> String {
        let mut out = format!(
            "essential {}\nrestarts {}\n",
            u8::from(self.essential),
            self.restarts
        );
        if let Some(g) = &self.gave_up {
            out += &format!("gave_up {}\n", one_line(g));
        }
        if let Some(t) = self.next_start {
            let ms = t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_millis());
            out += &format!("next_start {ms}\n");
        }
        if let Some(h) = self.health {
            out += &format!("health {}\n", h.as_str());
        }
        if let Some(c) = self.health_exit {
            out += &format!("health_exit {c}\n");
        }
        if let Some(o) = &self.health_output {
            out += &format!("health_output {}\n", one_line(o));
        }
        if let Some(s) = &self.notify_status {
            out += &format!("notify_status {}\n", one_line(s));
        }
        out
    }

    pub fn decode(text: &str) -> Self {
        let mut d = Details::default();
        for line in text.lines() {
            let (key, value) = line.split_once(' ').unwrap_or((line, ""));
            match key {
                "essential" => d.essential = value == "1",
                "restarts" => d.restarts = value.parse().unwrap_or(0),
                "gave_up" => d.gave_up = Some(value.to_owned()),
                "next_start" => {
                    d.next_start = value
                        .parse()
                        .ok()
                        .and_then(|ms| UNIX_EPOCH.checked_add(Duration::from_millis(ms)))
                }
                "health" => d.health = Health::parse(value),
                "health_exit" => d.health_exit = value.parse().ok(),
                "health_output" => d.health_output = Some(value.to_owned()),
                "notify_status" => d.notify_status = Some(value.to_owned()),
                _ => {}
            }
        }
        d
    }

    /// `None` when the service has no such file (no policy, or not ours).
    pub fn read(service: &Path) -> Option<Self> {
        std::fs::read_to_string(service.join(FILE))
            .ok()
            .map(|t| Details::decode(&t))
    }

    pub fn write(&self, service: &Path) -> std::io::Result<()> {
        let tmp = service.join("supervise/chainit.new");
        std::fs::write(&tmp, self.encode())?;
        std::fs::rename(tmp, service.join(FILE))
    }
}

#[cfg(test)]
#[allow(clippy::unwrap_used)]
mod tests {
    use super::*;

    #[test]
    fn round_trip() {
        let d = Details {
            essential: true,
            restarts: 3,
            gave_up: Some("gave up after 3 deaths in 1000 ms".into()),
            next_start: Some(UNIX_EPOCH + Duration::from_millis(1_700_000_000_123)),
            health: Some(Health::Unhealthy),
            health_exit: Some(1),
            health_output: Some("db\nunreachable".into()),
            notify_status: Some("serving".into()),
        };
        let back = Details::decode(&d.encode());
        assert_eq!(back.health_output.as_deref(), Some("db unreachable"));
        assert_eq!(
            Details {
                health_output: d.health_output.clone(),
                ..back
            },
            d
        );
    }
}

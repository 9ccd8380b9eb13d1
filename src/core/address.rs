//! Where a reporter can be reached. This is the most sensitive value in the system: it is
//! stored only inside sealed records, looked up only by keyed hash, and never printed.

use serde::{Deserialize, Serialize};

/// A reporter's chat. Its `Debug` output hides the ids so it cannot leak into logs.
#[derive(Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ReporterAddress {
    /// A private Telegram chat (its id equals the user's id).
    Telegram { chat_id: i64 },
    /// A direct-message room on Matrix between the reporter and the bot.
    Matrix { room_id: String },
}

/// Which network a reporter uses; safe to log and to branch on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ChannelKind {
    Telegram,
    Matrix,
}

impl ReporterAddress {
    pub fn channel(&self) -> ChannelKind {
        match self {
            ReporterAddress::Telegram { .. } => ChannelKind::Telegram,
            ReporterAddress::Matrix { .. } => ChannelKind::Matrix,
        }
    }

    /// The canonical bytes that are fed to the keyed hash for lookups.
    pub fn lookup_material(&self) -> Vec<u8> {
        match self {
            ReporterAddress::Telegram { chat_id } => format!("telegram:{chat_id}").into_bytes(),
            ReporterAddress::Matrix { room_id } => format!("matrix-dm:{room_id}").into_bytes(),
        }
    }
}

impl std::fmt::Debug for ReporterAddress {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ReporterAddress::{:?}(hidden)", self.channel())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn debug_output_never_shows_the_id() {
        let a = ReporterAddress::Telegram { chat_id: 987654321 };
        assert!(!format!("{a:?}").contains("987654321"));
        let b = ReporterAddress::Matrix {
            room_id: "!secret:example.org".into(),
        };
        assert!(!format!("{b:?}").contains("secret"));
    }
}

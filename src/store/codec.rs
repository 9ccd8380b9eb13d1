//! Byte layouts of keys and associated data. Keys sort the way the code scans them:
//! transcript by position, outbox by destination then sequence, timers by due time.

use super::StoreError;
use crate::core::{CaseId, TimerKind, Timestamp};

/// Associated data binding a sealed record to its kind, case and position.
pub fn aad(kind: &[u8], case: CaseId, position: &[u8]) -> Vec<u8> {
    [
        b"confidant/v1/".as_slice(),
        kind,
        b"/",
        &case.0,
        b"/",
        position,
    ]
    .concat()
}

pub fn room_material(room_id: &str) -> Vec<u8> {
    format!("case-room:{room_id}").into_bytes()
}

pub fn case_id(bytes: &[u8]) -> Result<CaseId, StoreError> {
    let array: [u8; 16] = bytes
        .get(..16)
        .and_then(|b| b.try_into().ok())
        .ok_or(StoreError::BadKey { what: "case id" })?;
    Ok(CaseId(array))
}

pub fn case_seq(case: CaseId, seq: u64) -> Vec<u8> {
    [case.0.as_slice(), &seq.to_be_bytes()].concat()
}

/// The trailing big-endian sequence number of a `prefix ++ seq` key.
pub fn seq_suffix(key: &[u8]) -> Result<u64, StoreError> {
    let tail: [u8; 8] = key
        .get(key.len().saturating_sub(8)..)
        .and_then(|b| b.try_into().ok())
        .ok_or(StoreError::BadKey { what: "sequence" })?;
    Ok(u64::from_be_bytes(tail))
}

pub fn i32_from(bytes: &[u8]) -> Result<i32, StoreError> {
    let array: [u8; 4] = bytes
        .try_into()
        .map_err(|_| StoreError::BadKey { what: "offset" })?;
    Ok(i32::from_be_bytes(array))
}

/// `due (8, big-endian millis, offset so negative times still sort) ++ case (16) ++ kind`.
pub fn timer_key(at: Timestamp, case: CaseId, kind: TimerKind) -> Vec<u8> {
    let millis = (at.as_millisecond() as u64) ^ (1 << 63);
    let kind = serde_json::to_vec(&kind).expect("timer kinds serialise");
    [millis.to_be_bytes().as_slice(), &case.0, &kind].concat()
}

pub fn parse_timer_key(key: &[u8]) -> Result<(Timestamp, CaseId, TimerKind), StoreError> {
    let bad = || StoreError::BadKey { what: "timer" };
    let millis: [u8; 8] = key
        .get(..8)
        .and_then(|b| b.try_into().ok())
        .ok_or_else(bad)?;
    let millis = (u64::from_be_bytes(millis) ^ (1 << 63)) as i64;
    let at = Timestamp::from_millisecond(millis).map_err(|_| bad())?;
    let case = case_id(key.get(8..24).ok_or_else(bad)?)?;
    let kind = serde_json::from_slice(key.get(24..).ok_or_else(bad)?).map_err(|_| bad())?;
    Ok((at, case, kind))
}

/// Today, as days since 1970 (4 bytes, big-endian): when a Matrix event was handled, so
/// that old marks can be pruned.
pub fn day_stamp() -> Vec<u8> {
    day_of(crate::core::Timestamp::now()).to_be_bytes().to_vec()
}

pub fn day_of(at: crate::core::Timestamp) -> u32 {
    u32::try_from(at.as_second().max(0) / 86_400).unwrap_or(u32::MAX)
}

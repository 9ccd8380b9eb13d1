//! The sync loop: fetch, store every new event through the engine, and only then move
//! the stored sync token on. Events that cannot be decrypted yet are kept (sealed) and
//! tried again after each sync, as room keys arrive.

use std::panic::AssertUnwindSafe;
use std::sync::Arc;

use futures_util::FutureExt;
use std::time::Duration;

use matrix_sdk::config::SyncSettings;
use matrix_sdk::deserialized_responses::TimelineEvent;
use matrix_sdk::room::MessagesOptions;
use matrix_sdk::ruma::api::client::filter::{FilterDefinition, RoomEventFilter, RoomFilter};
use matrix_sdk::ruma::api::client::sync::sync_events::v3::Filter;
use matrix_sdk::ruma::{OwnedRoomId, RoomId, UInt};
use tokio_util::sync::CancellationToken;

use super::Matrix;
use super::errors::describe;
use super::events::{Seen, read};
use crate::app::{Engine, EngineError};
use crate::core::io::RoomMessageMeta;
use crate::core::{Input, ReporterAddress, ReporterEvent};
use crate::store::Ack;
use crate::watchdog::{Pulse, stall_if_asked};

const POLL: Duration = Duration::from_secs(30);
/// matrix-sdk's request timeout, which the sync request gets on top of its poll time.
const REQUEST_TIMEOUT: Duration = Duration::from_secs(30);
const ERROR_PAUSE: Duration = Duration::from_secs(3);
/// Events per room per sync; more than this leaves a gap that is filled by paging back.
const TIMELINE_LIMIT: u32 = 100;
/// Marks of handled events are kept this many days, and pruned this often.
const KEEP_HANDLED_DAYS: u32 = 30;
const PRUNE_EVERY: Duration = Duration::from_secs(3600);
/// How often every room the bot is in is looked at for duplicates.
const SWEEP_EVERY: Duration = Duration::from_secs(600);

pub async fn run(engine: Arc<Engine>, matrix: Matrix, pulse: Pulse, shutdown: CancellationToken) {
    let filter = {
        let mut timeline = RoomEventFilter::default();
        timeline.limit = Some(UInt::from(TIMELINE_LIMIT));
        let mut room = RoomFilter::default();
        room.timeline = timeline;
        let mut definition = FilterDefinition::default();
        room.include_leave = false;
        definition.room = room;
        Filter::FilterDefinition(definition)
    };
    // After a crash the SDK may have stored a newer sync token than ours, and it answers
    // a response it has seen with an empty one; so on start (and after any failure) the
    // rooms are read forward from our token first.
    let mut catch_up_needed = true;
    // A long poll takes its time by design, and the HTTP client's own timeout after it.
    let long_poll = POLL + REQUEST_TIMEOUT;
    let mut failures_in_a_row = 0u32;
    let mut pruned_at: Option<std::time::Instant> = None;
    let mut registry_filled = false;
    let mut swept_at: Option<std::time::Instant> = None;
    while !shutdown.is_cancelled() {
        if pruned_at.is_none_or(|at| at.elapsed() > PRUNE_EVERY) {
            pruned_at = Some(std::time::Instant::now());
            match engine.store.prune_handled(engine.now(), KEEP_HANDLED_DAYS) {
                Ok(0) => {}
                Ok(pruned) => tracing::info!(pruned, "old marks of handled events pruned"),
                Err(e) => tracing::warn!(error = %e, "cannot prune the marks of handled events"),
            }
        }
        pulse.progress_expecting(long_poll);
        stall_if_asked(&pulse).await;
        // Once, before any event is read: chats accepted before the registry of
        // employees' chats was kept are recorded in it (the rooms come from the SDK's
        // own store).
        if !registry_filled {
            match super::direct::register_older_chats(&engine, &matrix).await {
                Ok(()) => registry_filled = true,
                Err(e) => {
                    tracing::error!(error = %e, "cannot record older employees' chats");
                    pause(&pulse, &shutdown, ERROR_PAUSE).await;
                    continue;
                }
            }
        }
        let since = match engine.store.matrix_since() {
            Ok(since) => since,
            Err(e) => {
                tracing::error!(error = %e, "cannot read the Matrix sync token");
                pause(&pulse, &shutdown, ERROR_PAUSE).await;
                continue;
            }
        };
        if catch_up_needed && let Some(since) = &since {
            let caught_up = tokio::select! {
                _ = shutdown.cancelled() => return,
                caught_up = catch_up(&engine, &matrix, &pulse, since) => caught_up,
            };
            let settled = match caught_up {
                Ok(()) => engine.settle().await.map_err(SyncError::from),
                Err(e) => Err(e),
            };
            match settled {
                Ok(()) => {
                    catch_up_needed = false;
                    failures_in_a_row = 0;
                }
                Err(e) => {
                    // Growing pauses: a homeserver that is down is not hammered, and an
                    // event that keeps failing is set aside after a few rounds.
                    failures_in_a_row = failures_in_a_row.saturating_add(1);
                    tracing::error!(error = %e, "cannot catch up on Matrix events; will try again");
                    pause(&pulse, &shutdown, ERROR_PAUSE * failures_in_a_row.min(10)).await;
                    continue;
                }
            }
        }
        // The first sync answers at once, so readiness does not wait for a long poll.
        let poll = match engine.health.sync_age() {
            None => Duration::ZERO,
            Some(_) => POLL,
        };
        let mut settings = SyncSettings::default().filter(filter.clone()).timeout(poll);
        if let Some(token) = &since {
            settings = settings.token(token.clone());
        }
        let response = tokio::select! {
            _ = shutdown.cancelled() => return,
            response = matrix.client.sync_once(settings) => response,
        };
        let response = match response {
            Ok(response) => {
                engine.health.synced();
                response
            }
            Err(e) => {
                failures_in_a_row = failures_in_a_row.saturating_add(1);
                tracing::warn!(error = %describe(&e), "Matrix sync failed");
                pause(&pulse, &shutdown, ERROR_PAUSE * failures_in_a_row.min(10)).await;
                continue;
            }
        };
        pulse.progress();
        failures_in_a_row = 0;
        // The very first sync of a new bot takes the current position; history from
        // before the bot existed is not input.
        // Events kept for their room keys go first: the keys that came with this
        // response may open them, and they were written before this response's events
        // (handled after, they would reach the employee out of order).
        let retried = retry_pending(&engine, &matrix).await;
        let result = match (retried, &since) {
            (Err(e), _) => Err(e),
            (Ok(()), None) => Ok(()),
            (Ok(()), Some(since)) => {
                store_events(&engine, &matrix, &pulse, &response.rooms.joined, since).await
            }
        };
        super::direct::accept_invites(&matrix, &engine.store, &response.rooms.invited).await;
        // A room made twice for one creation is set aside as soon as it shows up, and
        // every room is looked at now and then (a duplicate whose twin had no alias yet).
        if swept_at.is_none_or(|at| at.elapsed() > SWEEP_EVERY) {
            swept_at = Some(std::time::Instant::now());
            super::duplicates::look(&engine, &matrix, None);
        } else if !response.rooms.joined.is_empty() {
            let joined = response.rooms.joined.keys().cloned().collect();
            super::duplicates::look(&engine, &matrix, Some(joined));
        }
        match result.and_then(|()| Ok(engine.store.set_matrix_since(&response.next_batch)?)) {
            // One flush for the events and the token that moves past them.
            Ok(()) => {
                if let Err(e) = engine.settle().await {
                    tracing::error!(error = %e, "cannot flush the Matrix sync token");
                    catch_up_needed = true;
                    pause(&pulse, &shutdown, ERROR_PAUSE).await;
                }
            }
            Err(e) => {
                tracing::error!(error = %e, "Matrix events could not be stored; will fetch them again");
                catch_up_needed = true;
                pause(&pulse, &shutdown, ERROR_PAUSE).await;
            }
        }
    }
}

#[derive(Debug, thiserror::Error)]
enum SyncError {
    #[error(transparent)]
    Engine(#[from] EngineError),
    #[error(transparent)]
    Store(#[from] crate::store::StoreError),
    #[error("reading a room's messages: {}", describe(.0))]
    Matrix(#[from] matrix_sdk::Error),
    #[error(transparent)]
    Fetch(#[from] super::files::FetchError),
}

impl SyncError {
    /// The disk, not the event: see [`crate::store::StoreError::is_storage_fault`].
    fn is_storage_fault(&self) -> bool {
        match self {
            SyncError::Engine(e) => e.is_storage_fault(),
            SyncError::Store(e) => e.is_storage_fault(),
            SyncError::Matrix(_) | SyncError::Fetch(_) => false,
        }
    }
}

/// Reads every case room and employee chat forward from `since` and stores what it
/// finds (events already stored are skipped by id).
async fn catch_up(
    engine: &Engine,
    matrix: &Matrix,
    pulse: &Pulse,
    since: &str,
) -> Result<(), SyncError> {
    for room in matrix.client.joined_rooms() {
        let case_room = engine
            .store
            .case_for_room(room.room_id().as_str())?
            .is_some();
        if !case_room && room.joined_members_count() > 2 {
            continue;
        }
        let mut from = Some(since.to_owned());
        while let Some(token) = from.take() {
            let mut options = MessagesOptions::forward().from(Some(token.as_str()));
            options.limit = UInt::from(TIMELINE_LIMIT);
            let page = room.messages(options).await?;
            pulse.progress();
            for event in &page.chunk {
                handle_in_line(engine, matrix, room.room_id(), event).await?;
                pulse.progress();
            }
            from = if page.chunk.is_empty() {
                None
            } else {
                page.end
            };
        }
    }
    Ok(())
}

async fn store_events(
    engine: &Engine,
    matrix: &Matrix,
    pulse: &Pulse,
    joined: &std::collections::BTreeMap<OwnedRoomId, matrix_sdk::sync::JoinedRoomUpdate>,
    since: &str,
) -> Result<(), SyncError> {
    for (room_id, update) in joined {
        if update.timeline.limited
            && let Some(prev_batch) = &update.timeline.prev_batch
        {
            for event in fill_gap(matrix, room_id, prev_batch, since).await {
                handle_in_line(engine, matrix, room_id, &event).await?;
            }
        }
        for event in &update.timeline.events {
            handle_in_line(engine, matrix, room_id, event).await?;
            pulse.progress();
        }
        if !update.ephemeral.is_empty() {
            super::typing::pass_on(engine, matrix, room_id, &update.ephemeral).await;
        }
    }
    Ok(())
}

/// Events between our last position and the start of a limited timeline, oldest first.
async fn fill_gap(
    matrix: &Matrix,
    room_id: &RoomId,
    prev_batch: &str,
    since: &str,
) -> Vec<TimelineEvent> {
    let Some(room) = matrix.client.get_room(room_id) else {
        return Vec::new();
    };
    let mut events = Vec::new();
    let mut from = Some(prev_batch.to_owned());
    while let Some(token) = from.take() {
        let mut options = MessagesOptions::backward().from(Some(token.as_str()));
        options.to = Some(since.to_owned());
        options.limit = UInt::from(TIMELINE_LIMIT);
        match room.messages(options).await {
            Ok(page) => {
                let done = page.chunk.is_empty();
                events.extend(page.chunk);
                from = if done { None } else { page.end };
            }
            Err(e) => {
                tracing::warn!(error = %describe(&e), "cannot page back through a timeline gap");
                break;
            }
        }
    }
    events.reverse();
    events
}

/// An event whose handling failed this often (counted on disk) is set aside.
const MAX_TRIES: u32 = 4;

/// Handles an event as it comes from the homeserver: kept when it cannot be decrypted
/// yet, held when an earlier event of its room still waits for its key, else handled.
async fn handle_in_line(
    engine: &Engine,
    matrix: &Matrix,
    room_id: &RoomId,
    event: &TimelineEvent,
) -> Result<(), SyncError> {
    let seen = read(event);
    if let Seen::Undecryptable { .. } = seen {
        super::pending::keep_undecryptable(engine, room_id, event);
        return Ok(());
    }
    let encrypted = event.encryption_info().is_some();
    if !matches!(seen, Seen::Other) && super::pending::holds_back(engine, room_id) {
        if let Some(id) = event.event_id()
            && engine.store.is_handled(id.as_str())?
        {
            return Ok(());
        }
        super::pending::hold(engine, room_id, event, encrypted);
        return Ok(());
    }
    handle(engine, matrix, room_id, event, encrypted).await
}

/// Stores one event through the engine (a no-op if it was stored before). When that
/// fails, the event is fetched again with the next catch-up, up to [`MAX_TRIES`] times;
/// then it is set aside, its sender told, and the rest of the rooms' events flow on.
async fn handle(
    engine: &Engine,
    matrix: &Matrix,
    room_id: &RoomId,
    event: &TimelineEvent,
    encrypted: bool,
) -> Result<(), SyncError> {
    // A panic anywhere in handling counts as a failure of this event (retried, then set
    // aside), never a crash that replays it for ever.
    let handled = AssertUnwindSafe(handle_event(engine, matrix, room_id, event, encrypted))
        .catch_unwind()
        .await
        .unwrap_or(Err(SyncError::Engine(EngineError::Panicked)));
    let error = match handled {
        Ok(()) => return Ok(()),
        Err(error) if error.is_storage_fault() => return Err(error),
        Err(error) => error,
    };
    let Some(id) = event.event_id() else {
        return Err(error);
    };
    let key = format!("matrix:{id}");
    let tries = engine.store.note_inbound_failure(&key)?;
    if tries < MAX_TRIES {
        return Err(error);
    }
    let about = match engine.store.case_for_room(room_id.as_str())? {
        Some(case) => Some(Input::Counsellor {
            case,
            sender: String::new(),
            text: String::new(),
            meta: RoomMessageMeta::default(),
        }),
        None => Some(Input::Reporter {
            from: ReporterAddress::Matrix {
                room_id: room_id.to_string(),
            },
            event: ReporterEvent::Unsupported,
        }),
    };
    let reason = format!("handling failed {tries} times: {error}");
    engine
        .set_aside_inbound(
            "matrix event",
            &reason,
            event.raw().json().get().as_bytes().to_vec(),
            Ack::MatrixEvent(id.to_string()),
            about,
        )
        .await?;
    engine.store.clear_inbound_failures(&key)?;
    Ok(())
}

async fn handle_event(
    engine: &Engine,
    matrix: &Matrix,
    room_id: &RoomId,
    event: &TimelineEvent,
    encrypted: bool,
) -> Result<(), SyncError> {
    let (id, sender, reporter_event) = match read(event) {
        // Anyone entering a case room (other than the bot) is checked against the case's
        // members.
        Seen::Member { id, user } => {
            return in_case_room(engine, matrix, room_id, &id, &user, |case| {
                Input::RoomMember {
                    case,
                    user: user.to_string(),
                }
            })
            .await;
        }
        Seen::Text {
            id,
            sender,
            body,
            thread,
            formatted,
            emote,
            reply_to,
        } => {
            if sender == matrix.own_user_id {
                return Ok(());
            }
            if let Some(case) = engine.store.case_for_room(room_id.as_str())? {
                let mut meta = meta(&id, thread);
                meta.emote = emote;
                meta.reply_to = reply_to.map(|r| r.to_string());
                // Formatting goes on to Telegram; the words are read from it too, so a
                // mention is a first name (or nothing) in every form.
                let text = match formatted {
                    Some(formatted) => {
                        let rendered = super::formatted::render(&formatted, &engine.roster);
                        meta.html = Some(rendered.html);
                        rendered.plain
                    }
                    None => body,
                };
                let input = Input::Counsellor {
                    case,
                    sender: sender.to_string(),
                    text,
                    meta,
                };
                engine
                    .apply(input, Ack::MatrixEvent(id.to_string()))
                    .await?;
                return Ok(());
            }
            (id, sender, ReporterEvent::Text(body))
        }
        // Edits and deletions in a case room follow the message to the employee; an
        // employee's own edits and deletions in their Matrix chat change nothing sent.
        Seen::Edit {
            id,
            sender,
            of,
            body,
            thread,
        } => {
            let meta = meta(&id, thread);
            return in_case_room(engine, matrix, room_id, &id, &sender, |case| {
                Input::CounsellorEdit {
                    case,
                    sender: sender.to_string(),
                    of: of.to_string(),
                    text: body,
                    meta,
                }
            })
            .await;
        }
        Seen::Redaction { id, sender, of } => {
            return in_case_room(engine, matrix, room_id, &id, &sender, |case| {
                Input::CounsellorRedaction {
                    case,
                    sender: sender.to_string(),
                    of: of.to_string(),
                }
            })
            .await;
        }
        // Never silence: the room hears that it was not passed on.
        Seen::OtherMessage { id, sender, thread } => {
            let meta = meta(&id, thread);
            return in_case_room(engine, matrix, room_id, &id, &sender, |case| {
                Input::CounsellorUnsupported {
                    case,
                    sender: sender.to_string(),
                    meta,
                }
            })
            .await;
        }
        Seen::File { id, sender, file } => {
            if sender == matrix.own_user_id || engine.store.is_handled(id.as_str())? {
                return Ok(());
            }
            let case = engine.store.case_for_room(room_id.as_str())?;
            if case.is_none() && !super::direct::is_reporter_chat(engine, matrix, room_id).await {
                return Ok(());
            }
            if case.is_none() && !encrypted {
                (id, sender, ReporterEvent::Unencrypted)
            } else {
                let file = matrix
                    .incoming_file(file, &engine.service.first().settings.files)
                    .await?;
                let input = match case {
                    Some(case) => Input::CounsellorFile {
                        case,
                        sender: sender.to_string(),
                        file,
                    },
                    None => Input::Reporter {
                        from: ReporterAddress::Matrix {
                            room_id: room_id.to_string(),
                        },
                        event: ReporterEvent::File(file),
                    },
                };
                engine
                    .apply(input, Ack::MatrixEvent(id.to_string()))
                    .await?;
                return Ok(());
            }
        }
        Seen::Undecryptable { .. } => {
            super::pending::keep_undecryptable(engine, room_id, event);
            return Ok(());
        }
        Seen::Other => return Ok(()),
    };
    if sender == matrix.own_user_id
        || !super::direct::is_reporter_chat(engine, matrix, room_id).await
    {
        return Ok(());
    }
    // An employee's own chat: handled like a Telegram chat, by its room id alone; words
    // that came in plain text are not taken, and the employee is told why.
    let event = if encrypted {
        reporter_event
    } else {
        ReporterEvent::Unencrypted
    };
    let input = Input::Reporter {
        from: ReporterAddress::Matrix {
            room_id: room_id.to_string(),
        },
        event,
    };
    engine
        .apply(input, Ack::MatrixEvent(id.to_string()))
        .await?;
    Ok(())
}

/// Applies the input `make` builds for someone's event `id` in a case room; the bot's
/// own events, and events in any other room, change nothing.
async fn in_case_room(
    engine: &Engine,
    matrix: &Matrix,
    room_id: &RoomId,
    id: &matrix_sdk::ruma::EventId,
    sender: &matrix_sdk::ruma::UserId,
    make: impl FnOnce(crate::core::CaseId) -> Input,
) -> Result<(), SyncError> {
    if sender == matrix.own_user_id {
        return Ok(());
    }
    if let Some(case) = engine.store.case_for_room(room_id.as_str())? {
        engine
            .apply(make(case), Ack::MatrixEvent(id.to_string()))
            .await?;
    }
    Ok(())
}

/// Where a counsellor's message stands in its room, for the core.
fn meta(
    id: &matrix_sdk::ruma::EventId,
    thread: Option<matrix_sdk::ruma::OwnedEventId>,
) -> RoomMessageMeta {
    RoomMessageMeta {
        event: Some(id.to_string()),
        thread: thread.map(|t| t.to_string()),
        ..RoomMessageMeta::default()
    }
}

/// Handles the kept events whose turn has come (see [`super::pending`]).
async fn retry_pending(engine: &Engine, matrix: &Matrix) -> Result<(), SyncError> {
    let Some(taken) = super::pending::take_ready(engine, matrix).await else {
        return Ok(());
    };
    for ready in &taken.ready {
        handle(engine, matrix, &ready.room, &ready.event, ready.encrypted).await?;
    }
    taken.keep_the_rest(engine);
    Ok(())
}

/// Waits (resting the pulse: a pause is no stall) unless shutdown comes first.
async fn pause(pulse: &Pulse, shutdown: &CancellationToken, wait: Duration) {
    pulse.idle();
    tokio::select! {
        _ = shutdown.cancelled() => {}
        _ = tokio::time::sleep(wait) => {}
    }
    pulse.progress();
}

//! Every Fluent message id the Rust code uses, in one place, so the locale completeness
//! test can tell a missing text from an unused one. Dialog files bring their own ids.

macro_rules! text_keys {
    ($( $group:ident { $( $name:ident = $id:literal ),* $(,)? } )*) => {
        $( $( pub const $name: &str = $id; )* )*
        $( pub const $group: &[&str] = &[ $( $id ),* ]; )*
        /// All ids used by code, across groups.
        pub const ALL: &[&[&str]] = &[ $( $group ),* ];
    };
}

text_keys! {
    ENGINE {
        DIALOG_NOT_UNDERSTOOD = "dialog-not-understood",
        DIALOG_OPTION_HINT = "dialog-option-hint",
        DIALOG_TICKED = "dialog-ticked",
        DIALOG_DONE = "dialog-done",
        DIALOG_SKIP = "dialog-skip",
        DIALOG_SKIPPED = "dialog-skipped",
        DIALOG_SUMMARY_LINE = "dialog-summary-line",
        DIALOG_EDIT_WHICH = "dialog-edit-which",
        DIALOG_EDIT_BACK = "dialog-edit-back",
        DIALOG_NUMBERED_OPTION = "dialog-numbered-option",
        DIALOG_REPLY_WITH_NUMBER = "dialog-reply-with-number",
        DIALOG_BUTTON_EXPIRED = "dialog-button-expired",
        DIALOG_STORY_KEPT = "dialog-story-kept",
        DIALOG_CHOSEN = "dialog-chosen",
    }
    REPORTER {
        LANGUAGE_NAME = "language-name",
        DATETIME_FORMAT = "datetime-format",
        REPORTER_HELP = "reporter-help",
        REPORTER_UNKNOWN_COMMAND = "reporter-unknown-command",
        REPORTER_DID_YOU_MEAN = "reporter-did-you-mean",
        REPORTER_TOO_LONG = "reporter-too-long",
        REPORTER_UNSUPPORTED = "reporter-unsupported",
        REPORTER_LANGUAGE_PICK = "reporter-language-pick",
        REPORTER_LANGUAGE_SET = "reporter-language-set",
        REPORTER_STOPPED = "reporter-stopped",
        REPORTER_NOTHING_TO_STOP = "reporter-nothing-to-stop",
        REPORTER_STOP_SUBMITTED = "reporter-stop-submitted",
        REPORTER_STATUS_NONE = "reporter-status-none",
        REPORTER_STATUS_INTAKE = "reporter-status-intake",
        REPORTER_STATUS_WAITING = "reporter-status-waiting",
        REPORTER_STATUS_CONTACTED = "reporter-status-contacted",
        REPORTER_TOKEN = "reporter-token",
        REPORTER_TOKEN_NONE = "reporter-token-none",
        REPORTER_ALREADY_OPEN = "reporter-already-open",
        REPORTER_CONTINUE_INTAKE = "reporter-continue-intake",
        REPORTER_DONE_NOTHING = "reporter-done-nothing",
        REPORTER_INTAKE_EXPIRED = "reporter-intake-expired",
        REPORTER_COUNSELLOR_SAYS = "reporter-counsellor-says",
    }
    ROOM {
        ROOM_TOPIC = "room-topic",
        ROOM_CASE_OPENED = "room-case-opened",
        ROOM_REPORTER_SAYS = "room-reporter-says",
        ROOM_HELP = "room-help",
        ROOM_UNKNOWN_COMMAND = "room-unknown-command",
        ROOM_NOT_A_COUNSELLOR = "room-not-a-counsellor",
        ROOM_REPORTER_SENT_UNSUPPORTED = "room-reporter-sent-unsupported",
        ROOM_UNDELIVERABLE = "room-undeliverable",
    }
    LIFECYCLE {
        REPORTER_NOTHING_KEPT = "reporter-nothing-kept",
        REPORTER_WIPE_NOTHING = "reporter-wipe-nothing",
        REPORTER_WIPED = "reporter-wiped",
        REPORTER_CONSENT_IN_INTAKE = "reporter-consent-in-intake",
        ROOM_REPORTER_WITHDREW = "room-reporter-withdrew",
        ROOM_REPORTER_ANSWERED = "room-reporter-answered",
        ROOM_REPORTER_REOPENED = "room-reporter-reopened",
        ROOM_SHARE_ASKED = "room-share-asked",
        ROOM_CLOSED = "room-closed",
        ROOM_CLOSE_USAGE = "room-close-usage",
        ROOM_REOPENED = "room-reopened",
        ROOM_NOT_CLOSED = "room-not-closed",
    }
    REPORT {
        REPORT_TITLE = "report-title",
        REPORT_INTRO = "report-intro",
        REPORT_CONTACTS = "report-contacts",
        REPORT_CONTACTS_FEW = "report-contacts-few",
        REPORT_HOURS = "report-hours",
        REPORT_BELOW = "report-below",
        REPORT_HIDDEN = "report-hidden",
        REPORT_NOTE_BELOW = "report-note-below",
        REPORT_NOTE_HIDDEN = "report-note-hidden",
        REPORT_WITHHELD = "report-withheld",
        REPORT_COLUMN_ROW = "report-column-row",
        REPORT_COLUMN_COUNT = "report-column-count",
        REPORT_NOT_GIVEN = "report-not-given",
        REPORT_QUARTER = "report-quarter",
        REPORT_TABLE_CATEGORY = "report-table-category",
        REPORT_TABLE_QUARTER = "report-table-quarter",
        REPORT_TABLE_UNIT = "report-table-unit",
        REPORT_TABLE_WISH = "report-table-wish",
        REPORT_TABLE_OUTCOME = "report-table-outcome",
        REPORT_TABLE_PROMISE = "report-table-promise",
        REPORT_TABLE_ESCALATED = "report-table-escalated",
        REPORT_OUTCOME_LISTENING_EAR = "report-outcome-listening-ear",
        REPORT_OUTCOME_ADVICE = "report-outcome-advice",
        REPORT_OUTCOME_REFERRAL = "report-outcome-referral",
        REPORT_OUTCOME_MEDIATION = "report-outcome-mediation",
        REPORT_OUTCOME_FORMAL_COMPLAINT = "report-outcome-formal-complaint",
        REPORT_OUTCOME_POLICE_REPORT = "report-outcome-police-report",
        REPORT_OUTCOME_WITHDRAWN = "report-outcome-withdrawn",
        REPORT_OUTCOME_OPEN = "report-outcome-open",
        REPORT_PROMISE_KEPT = "report-promise-kept",
        REPORT_PROMISE_MISSED = "report-promise-missed",
        REPORT_PROMISE_PENDING = "report-promise-pending",
        REPORT_ESCALATED_YES = "report-escalated-yes",
        REPORT_ESCALATED_NO = "report-escalated-no",
    }
}

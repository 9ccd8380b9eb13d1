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
    FILES {
        REPORTER_FILE_RECEIVED = "reporter-file-received",
        REPORTER_FILE_RECEIVED_UNCLEANED = "reporter-file-received-uncleaned",
        REPORTER_FILE_TOO_LARGE = "reporter-file-too-large",
        REPORTER_FILE_TYPE_REFUSED = "reporter-file-type-refused",
        REPORTER_FILE_UNAVAILABLE = "reporter-file-unavailable",
        REPORTER_FILE_BEFORE_SUBMIT = "reporter-file-before-submit",
        REPORTER_COUNSELLOR_SENT_FILE = "reporter-counsellor-sent-file",
        ROOM_REPORTER_SENT_FILE = "room-reporter-sent-file",
        ROOM_FILE_NOT_CLEANED = "room-file-not-cleaned",
        ROOM_FILE_PARTLY_CLEANED = "room-file-partly-cleaned",
        ROOM_FILE_REFUSED = "room-file-refused",
        ROOM_FILE_SENT = "room-file-sent",
        ROOM_FILE_UNAVAILABLE = "room-file-unavailable",
    }
}

# What the bot writes in case rooms, for counsellors.
room-topic = Report { $token }. Messages starting with ! are commands and never go to the reporter. Type !help for the list.
room-case-opened =
    New report { $token }.
    Contact the reporter by { $due } ({ $hours } hours).

    { $answers }

    Everything you write here goes to the reporter, except messages starting with !. !help lists the commands.
room-reporter-says = { $text }
room-help =
    Commands (never sent to the reporter):
    !help: this list
    !status: token, category, age, contact deadline, who has it
    !summary: the intake's answers again
    !history [N]: the last N messages from the dossier (20 if not given)
    !note TEXT: a note, kept in the dossier only
    !shared-note TEXT: a note the reporter reads in their /mydata copy (never sent live)
    !contacted: contact was made another way (stops the 48-hour clock)
    !escalate REASON: bring in the coordinator
    !handover @name:server: hand the case to another counsellor
    !time 45m: time spent, for the registration
    !close OUTCOME: close (listening-ear, advice, referral, mediation, formal-complaint, police-report, withdrawn)
    !reopen: reopen
    !share-request: ask the reporter whether something may be shared
    !inform-hr: ask the reporter whether HR may know there was support (only a yes sends anything to HR)
    !feedback: feedback given (integrity reports, 3 months)
    !away until 2026-12-01 / !back: away; new reports go to others meanwhile
room-unknown-command = { $command } is not a command I know.{ $suggestion ->
        [none] {""}
       *[other] {" "}Did you mean { $suggestion }?
    } Type !help for the list. This message was not sent to the reporter.
room-not-a-counsellor = This message was not passed on: only the counsellors of this report can write here.
room-reporter-sent-unsupported = The reporter sent something that cannot be passed on (for example a sticker or a location).
room-outsider-removed = { $user } was removed from this room: only counsellors the bot brings into this report may be here. Please do not invite anyone yourself; use !handover or !escalate. What follows is encrypted with a new key.
room-undecryptable = The bot could not decrypt a message from { $sender }, so it was not passed on. This usually means the device you wrote from is not verified (in Element: Settings → Security, or verify this session from another device of yours), or that Element only encrypts for verified sessions and the bot is not verified yet (see the README: verifying the bot). Please send the message again after that.
room-not-deleted = An edited or deleted message could not be changed in the reporter's chat (Telegram allows deleting only within 48 hours): it is still there as it was. { $quoted ->
        [yes] It began: "{ $excerpt }"
       *[other] { "" }
    }
room-edit-not-relayed = This edit was not passed on: the original message was a command or a note, or was never passed on.
room-edit-command = An edited command is neither run nor passed on. Please send the command again as a new message.
room-note-edited = Note updated (not sent to the reporter).
room-not-passed-on = This message was not passed on: the bot passes on text, photos, files and audio only, and this was something else, or empty.
room-summary =
    Report { $token }: the answers from the intake.

    { $answers }
room-reporter-edited = (The reporter changed an earlier message; now:) { $text }
room-history =
    Report { $token }: the last { $count } of { $total } messages from the dossier.

    { $lines }
room-history-line = [{ $when }] { $who }: { $text }
room-history-reporter = Reporter
room-history-bot = Bot
room-history-note = Note by { $name }
room-history-empty = This report's dossier holds no messages (any more).
room-history-usage = Usage: !history or !history 50 (200 messages at most).
# In a room the bot made twice for one case (after a connection problem), before it leaves.
room-duplicate-notice = This room was made a second time for the same report, after a connection problem. Nothing written here reaches anyone, and the bot is leaving it. Please use the other room named { $name }.
room-duplicate-name = { $name } (not in use)
room-consultation = This is a request for advice from a manager, colleague or witness about someone else's situation, not a report by someone it happened to. It counts in the registration as a consultation.
room-history-shared-note = Shared note by { $name }
room-accused = This person says they have been accused themselves, and is here with the counsellor for the accused; the counsellors of the people reporting do not see this case. It counts in the registration as accused.

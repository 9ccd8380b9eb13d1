# Deadlines, reminders, escalation, assignment and the counsellors' commands.
promise-first-contact = first contact
promise-integrity-acknowledge = the acknowledgement of receipt (integrity report, 7 days)
promise-integrity-feedback = the feedback (integrity report, 3 months)
room-reminder = Reminder for { $counsellor }: { $promise } for { $token } is due by { $due } ({ $left_hours ->
        [0] { $left_minutes } minutes
       *[other] { $left_hours } hours
    } left).
room-deadline-missed = The deadline for { $promise } ({ $due }) has passed.
room-escalated = { $target } has been brought into this report: { $why } { $reason }
room-no-one-to-escalate-to = Escalation failed: no coordinator or backup is configured, or they are already involved. { $why } { $reason }
room-why-counsellor = at a counsellor's request.
room-why-deadline = a deadline was missed.
room-why-away = the assigned counsellor is away while a deadline nears.
reporter-deadline-missed = We are sorry: you should have heard from us within { $hours } hours, and that did not happen. The counsellors' coordinator has now been alerted and will contact you as soon as possible, here in this chat.
reporter-escalated = Another counsellor is now involved in your report as well: { $name }. Everything stays confidential; you can simply go on writing here.
reporter-no-fit = None of the counsellors matches your preferences right now. Your report therefore goes to the counsellors' coordinator, who makes sure you speak to someone within { $hours } hours.
room-no-fit = Note: no counsellor matched the reporter's preferences, or everyone was full or away. The report therefore went to the coordinator.
digest =
    Your reports with a deadline in the next 24 hours ({ $count }):
    { $cases }
digest-line = • { $token }: by { $due }

room-not-a-member = Not passed on and not carried out: you are not a counsellor of this report. Ask for a !handover if needed.
room-not-now = { $command } is not possible for this report now (it is not submitted yet, already closed, or still open).
room-status =
    Report { $token }
    Category: { $category }
    Submitted: { $age_days } days and { $age_hours } hours ago
    Contact: { $contact }
    Counsellor: { $assigned }
    Escalated: { $escalated }
    Time spent: { $minutes } minutes
    Undelivered: { $undelivered ->
        [0] none
       *[other] { $undelivered } message(s), see the notices above
    }
    Nobody else to bring in: { $nobody_left ->
        [1] yes, the reporter excluded the other available counsellors
       *[other] no
    }
room-status-no-category = not given
room-status-contact-made = made on { $when }
room-status-contact-due = by { $due } ({ $left_hours } hours left)
room-status-contact-missed = deadline missed ({ $due })
room-note-usage = Usage: !note TEXT. The note goes into the dossier only, never to the reporter.
room-note-kept = Note kept (not sent to the reporter).
room-contacted = Noted: contact has been made. The clock has stopped.
room-feedback-given = Noted: feedback has been given.
room-escalate-usage = Usage: !escalate REASON, for example: !escalate serious threat, need advice
room-handover-usage = Usage: !handover @name:server, with one of: { $counsellors }
room-handover-same = This report is already with that counsellor.
room-handover = { $counsellor } has been invited and takes over this report. The previous counsellor leaves the room as soon as { $counsellor } writes here.
room-handover-done = The handover is complete; { $counsellor } leaves the room.
room-time-usage = Usage: !time 45m (or 1h30m, 2h), at most 24 hours at a time.
room-time-added = { $added } minutes noted; { $hours } hours and { $minutes } minutes in total.
room-away-usage = Usage: !away until 2026-12-01 (or 1-12-2026): the day you are back.
room-away-set = You are marked away until { $until }. New reports go to others; for your reports the coordinator is brought in when a deadline nears. Type !back when you are available again.
room-back = Welcome back: you will get new reports again.
digest-nobody-left = Note: { $count } report(s) without a counsellor, because the reporter excluded everyone who was available. Please see whether someone not excluded can be available (again).
reporter-nobody-left = Right now nobody is available who fits your wishes, not even among the people you did not exclude. We do not bring in anyone you excluded. Your report is kept and flagged; you will hear from us as soon as someone you did not exclude can take it.
reporter-deadline-missed-nobody = We are sorry: you should have heard from us within { $hours } hours, and that did not happen. The coordinator is someone you did not want involved, so we do not bring them in. Your counsellor has been alerted again and your report is flagged.
room-nobody-left = Not escalated: the coordinator and the backup are already involved, not configured, or excluded by the reporter. The report is flagged (see !status and the daily digest). { $why } { $reason }
room-handover-excluded = Not handed over: the reporter does not want { $counsellor } involved in this report. Please choose someone else.
room-assigned-late = This report had no counsellor yet (everyone who fitted was excluded, away or full). { $counsellor } is now invited and takes it on.
reporter-assigned-late = There is now a counsellor for your report: { $name }. You will hear from them here.
room-shared-note-usage = Usage: !shared-note TEXT. The note goes into the dossier and into the copy the reporter can ask for with /mydata; it is not sent to the reporter.
room-shared-note-kept = Shared note kept: not sent to the reporter, but in the copy the reporter can ask for with /mydata.
digest-organisation = { $organisation }:

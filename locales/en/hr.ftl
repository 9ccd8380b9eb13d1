# !inform-hr: HR is told that support was given, only with the employee's yes.
# Dialog: dialogs/inform-hr.toml.
hr-ask =
    Your confidential counsellor asks whether HR may know that you received support from a confidential counsellor. You do not have to agree: without your yes, HR gets nothing.
    If you say yes, you first see exactly what HR gets.
hr-summary = Let HR know there was support
hr-with-name = Yes, with my name
hr-anonymous = Yes, anonymously (date and department only)
hr-not = No
hr-name = Which name may HR read? Type it as HR may see it.
hr-confirm =
    This is what HR gets, word for word:

    «{ $hr_message }»

    Send it?
hr-confirm-summary = Message to HR
hr-send = Yes, send it
hr-cancel = No, do not send
hr-told = Sent. HR got only this message, nothing else about your report.
hr-not-told = All right, HR gets nothing. Your counsellor sees your answer.
hr-no-unit = department not given
hr-message-named = { $name } received support from a confidential counsellor of { $organisation } (report of { $date }, { $unit }). This message was sent with consent.
hr-message-anonymous = An employee ({ $unit }) received support from a confidential counsellor of { $organisation } (report of { $date }). This message was sent with consent; the name was not disclosed.
room-hr-not-set-up = No HR room is set up (organisation.hr_room in the configuration); nothing was asked and nothing was sent.
room-hr-not-open = This report is not open; nothing was asked.
room-hr-asked = The reporter was asked whether HR may know there was support, and how. Without a yes nothing goes to HR. The answer will appear here.
room-hr-sent = With the reporter's consent, HR got exactly this: «{ $message }»

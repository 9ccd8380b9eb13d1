# /mydata: a copy of everything kept about the employee's case (GDPR art. 15).
reporter-mydata-none = You have not sent a report yet; nothing about you is kept but this intake conversation. /stop erases that too.
reporter-mydata-caption = Everything kept about your report (your right of access under the GDPR).
room-mydata-sent = The reporter asked for a copy of everything kept about the report, and received it.
mydata-file-name = my-data
mydata-title =
    Your data with the confidential counsellors of { $organisation }
    Report code: { $token }
    Made on: { $made }
mydata-not-yet = (not yet)
mydata-dates = Dates
mydata-started = Started
mydata-submitted = Sent
mydata-first-contact = First contact
mydata-closed = Closed
mydata-answers = Your answers
mydata-conversation = The conversation
mydata-you = You
mydata-a-counsellor = Counsellor
mydata-erasure = When this is erased
mydata-erasure-text = Everything above is erased on { $erased }. Then only an anonymous count is left (month, kind of report, time spent), without your name, code or story. With /forget you can have everything erased sooner. The counsellor's personal working notes are not in here.
mydata-erased-after-close = { $days ->
    [0] right after the report is closed
    [one] one day after the report is closed
   *[other] { $days } days after the report is closed
}
mydata-note = Note by { $name }

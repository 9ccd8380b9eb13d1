# Files (photos, screenshots, voice notes, documents).
reporter-file-received = Your file was passed on as { $name }. Hidden data (such as where a photo was taken and who made it) was removed first.
reporter-file-received-uncleaned = Your file was passed on as { $name }. Please note: I cannot remove hidden data (such as a place or a name) from this kind of file. The counsellor has been warned.
reporter-file-too-large = This file is too large ({ $size } MB; the maximum is { $limit } MB). It was not stored or passed on.
reporter-file-type-refused = I can't pass on this kind of file. It was not stored. Possible: { $types }.
reporter-file-unavailable = I could not fetch this file. It was not stored. Could you send it again?
reporter-file-too-complex = I cannot process this file safely (unpacked, it is far larger or more complex than it looks). It was not stored or passed on. Feel free to send a screenshot or a PDF instead.
reporter-file-quota = This report already holds { $count } files; no more can be added. This file was not stored or passed on. Ask the counsellor how else to share it.
reporter-file-before-submit = You can send files once your report has been sent. This file was not stored. Send /start to begin or continue your report.
reporter-counsellor-sent-file = { $name } sends you a file.
room-reporter-sent-file = The reporter sent a file: { $name }
room-file-not-cleaned = Warning: hidden data (such as a place or the maker's name) could not be removed from { $name }. Take care when passing it on.
room-file-partly-cleaned = Warning: the document properties were removed from { $name }, but names may remain in comments or tracked changes.
room-file-refused = This file was not sent to the reporter: only { $types } up to { $limit } MB can be passed on.
room-file-sent = { $name } was sent to the reporter.
room-file-quota = This file was not sent to the reporter: this report already holds { $count } files, the maximum (limits.max_files_per_case).
room-file-unavailable = This file could not be fetched from the server and was not sent to the reporter. Please try again.

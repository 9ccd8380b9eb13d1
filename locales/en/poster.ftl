# The printable poster for the staff room (src/poster): one A4 page per organisation,
# with a QR code that opens the chat. Read by every employee, so short and plain.
poster-title = Is something bothering you at work?
poster-for = Confidential counsellors for everyone at { $organisation }
poster-listen = A confidential counsellor listens to you, in confidence: about unwanted behaviour such as (sexual) harassment, bullying, discrimination or aggression, and about concerns over integrity.
poster-anonymous = The chat is anonymous: nobody learns who wrote, unless you choose to tell.
poster-first-contact = A confidential counsellor contacts you within 48 hours, in the same chat.
poster-counsellors = { $count ->
    [one] Your confidential counsellor: { $names }
   *[other] Your confidential counsellors: { $names }
}
# Names are joined one by one: the list so far and the next name, then the last name.
poster-list-more = { $list }, { $next }
poster-list-last = { $list } and { $last }
poster-scan = Scan the code with your phone's camera, or open the link:
poster-matrix = On Matrix: start a chat with { $bot } and send the code { $code } as your first message.
# The file's own title (SVG <title>, PDF document properties), not printed on the page.
poster-document-title = Confidential counsellors – { $organisation }

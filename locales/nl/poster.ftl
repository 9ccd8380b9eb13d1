# The printable poster for the staff room (src/poster): one A4 page per organisation,
# with a QR code that opens the chat. Read by every employee, so short and plain.
poster-title = Zit u iets dwars op het werk?
poster-for = Vertrouwenspersonen voor iedereen bij { $organisation }
poster-listen = Een vertrouwenspersoon luistert naar u, in vertrouwen: bij ongewenst gedrag zoals (seksuele) intimidatie, pesten, discriminatie of agressie, en bij zorgen over integriteit.
poster-anonymous = De chat is anoniem: niemand komt te weten wie er schreef, tenzij u dat zelf vertelt.
poster-first-contact = Binnen 48 uur neemt een vertrouwenspersoon contact met u op, in dezelfde chat.
poster-counsellors = { $count ->
    [one] Uw vertrouwenspersoon: { $names }
   *[other] Uw vertrouwenspersonen: { $names }
}
# Names are joined one by one: the list so far and the next name, then the last name.
poster-list-more = { $list }, { $next }
poster-list-last = { $list } en { $last }
poster-scan = Scan de code met de camera van uw telefoon, of open de link:
poster-matrix = Via Matrix: begin een chat met { $bot } en stuur de code { $code } als eerste bericht.
# The file's own title (SVG <title>, PDF document properties), not printed on the page.
poster-document-title = Vertrouwenspersonen – { $organisation }

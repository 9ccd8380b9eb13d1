# /mydata: a copy of everything kept about the employee's case (AVG art. 15).
reporter-mydata-none = U hebt nog geen melding verstuurd; er is niets over u bewaard behalve dit gesprek met de intake. Met /stop wordt ook dat gewist.
reporter-mydata-caption = Alles wat over uw melding is bewaard (inzage volgens de AVG).
room-mydata-sent = De melder heeft een kopie gevraagd van alles wat over de melding is bewaard, en heeft die gekregen.
mydata-file-name = mijn-gegevens
mydata-title =
    Uw gegevens bij de vertrouwenspersonen van { $organisation }
    Meldingscode: { $token }
    Gemaakt op: { $made }
mydata-not-yet = (nog niet)
mydata-dates = Data
mydata-started = Begonnen
mydata-submitted = Verstuurd
mydata-first-contact = Eerste contact
mydata-closed = Afgesloten
mydata-answers = Uw antwoorden
mydata-conversation = Het gesprek
mydata-you = U
mydata-a-counsellor = Vertrouwenspersoon
mydata-erasure = Wanneer dit wordt gewist
mydata-erasure-text = Alles hierboven wordt gewist op { $erased }. Dan blijft alleen een anonieme telling over (maand, soort melding, bestede tijd), zonder uw naam, code of verhaal. Met /forget kunt u alles eerder laten wissen. Persoonlijke werkaantekeningen van de vertrouwenspersoon staan hier niet in.
mydata-erased-after-close = { $days ->
    [0] direct nadat de melding is afgesloten
    [one] één dag nadat de melding is afgesloten
   *[other] { $days } dagen nadat de melding is afgesloten
}
mydata-note = Aantekening van { $name }

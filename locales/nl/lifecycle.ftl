# What happens after a melding is sent: consent, closing and aftercare, /forget, /wipe,
# and questions a counsellor asks (!share-request). Dialogs: dialogs/{forget,consent,
# share,closing,aftercare}.toml.

forget-confirm =
    Wilt u uw melding intrekken? Dan wis ik alles wat ik over deze melding bewaar: uw verhaal, het gesprek en uw antwoorden. Uw vertrouwenspersoon krijgt bericht dat u de melding heeft ingetrokken en kan het gesprek via mij niet meer teruglezen.

    Dit kan niet ongedaan worden gemaakt. Wat overblijft is alleen een anonieme telling (soort melding en maand), zonder uw woorden.
forget-confirm-erase = Ja, wis alles
forget-confirm-keep = Nee, bewaar mijn melding
forget-done =
    Uw melding is gewist.

    Wat ik niet kan wissen: de berichten in uw eigen Telegram of Matrix, en berichten die uw vertrouwenspersoon al op een eigen toestel heeft gelezen. Uw kant kunt u zelf opschonen: in Telegram via "Geschiedenis wissen" of automatisch verwijderen in dit gesprek, in Matrix verlaat ik dit gesprek zelf; verlaat het ook en verwijder het. Met /wipe verwijder ik eerst mijn eigen berichten hier, waar Telegram dat toestaat (berichten jonger dan 48 uur); doe dat vóór /forget.

    Wilt u later opnieuw iets melden, stuur dan gewoon een bericht.
forget-kept = Goed, uw melding blijft bewaard. Er verandert niets.

consent-change =
    Wat mag de vertrouwenspersoon bewaren?

    • Een dossier: het gesprek blijft versleuteld bewaard tot { $retention_days } dagen na het afsluiten, zodat u er later op terug kunt komen.
    • Alleen een anonieme telling: het gesprek wordt gewist zodra de melding is afgesloten. Alleen soort melding en maand worden geteld, zonder uw woorden.
consent-summary = Toestemming voor een dossier
consent-dossier = Dossier bewaren
consent-tally = Alleen een anonieme telling
consent-changed = Uw keuze is opgeslagen en doorgegeven aan uw vertrouwenspersoon. U kunt dit altijd weer wijzigen met /consent.

share-question =
    Uw vertrouwenspersoon vraagt of iets van uw melding gedeeld mag worden buiten de vertrouwenspersonen, bijvoorbeeld met HR of een leidinggevende, om er iets aan te doen. Er wordt niets gedeeld zonder uw toestemming, en de bot deelt zelf nooit iets.

    Mag het gedeeld worden?
share-summary = Delen buiten de vertrouwenspersonen
share-with-name = Ja, met mijn naam
share-anonymous = Ja, maar anoniem
share-not = Nee, niet delen
share-thanks = Dank u. Uw antwoord is doorgegeven aan uw vertrouwenspersoon; u kunt er in dit gesprek met hem of haar verder over praten.

closing-message =
    Uw vertrouwenspersoon heeft uw melding afgesloten. Dank u voor uw vertrouwen.

    Heeft u later toch weer hulp nodig, stuur dan gewoon een bericht. Bij acuut gevaar: bel { $emergency }. Met sombere gedachten kunt u dag en nacht anoniem terecht bij 113 Zelfmoordpreventie ({ $suicide-prevention }). Slachtofferhulp Nederland: { $victim-support }. Huis voor Klokkenluiders: { $whistleblowers }.

    Mogen we over { $aftercare_days } dagen even vragen hoe het met u gaat?
closing-aftercare-yes = Ja, graag
closing-aftercare-no = Nee, dank u
closing-see-you = Goed, dan hoort u over { $aftercare_days } dagen van ons. Wilt u liever niet, typ dan /forget.
closing-goodbye = Goed. Het beste, en u weet ons te vinden.

aftercare-check-in = Een tijdje geleden is uw melding afgesloten. Hoe gaat het nu met u?
aftercare-talk = Ik wil graag weer praten
aftercare-fine = Het gaat goed
aftercare-leave = Laat me liever met rust
aftercare-reopened = Uw vertrouwenspersoon krijgt bericht en neemt contact met u op in dit gesprek.
aftercare-glad = Fijn om te horen. Het beste!
aftercare-left-alone = Dat respecteren we. U hoort niets meer van ons over deze melding.

reporter-nothing-kept = Ik bewaar niets over u: er is geen melding in dit gesprek.
reporter-wipe-nothing = Er zijn geen berichten van mij om te verwijderen.
reporter-wiped =
    Ik verwijder mijn berichten in dit gesprek, waar dat kan: Telegram staat dat alleen toe voor berichten jonger dan 48 uur. Oudere berichten en uw eigen berichten kunt u zelf verwijderen via "Geschiedenis wissen". Gebruikt u Matrix, verlaat dan dit gesprek om het van uw toestel te halen.

    Uw melding zelf blijft bewaard; wilt u die ook laten wissen, typ dan /forget.
reporter-consent-in-intake = U kiest dit straks in de vragen; bij het overzicht kunt u het nog aanpassen.

room-reporter-withdrew = De melder heeft de melding { $token } ingetrokken. Alles wat de bot erover bewaarde is gewist; de geschiedenis is via de bot niet meer te lezen en berichten hier worden niet meer doorgegeven. Wis ook uw eigen aantekeningen over deze melding.
room-reporter-answered = De melder antwoordde op "{ $question }": { $answer }
room-reporter-reopened = De melder wil graag weer praten: de melding is heropend. Neem contact op in deze ruimte.
room-share-asked = De vraag of er gedeeld mag worden is aan de melder gesteld. Het antwoord verschijnt hier.
room-closed = De melding is afgesloten. De melder heeft een afsluitend bericht gekregen, met de vraag of een nazorgcontact gewenst is.
room-close-usage = Gebruik: !close UITKOMST, met een van: { $outcomes }
room-reopened = De melding is heropend.
room-not-closed = Deze melding is niet afgesloten.

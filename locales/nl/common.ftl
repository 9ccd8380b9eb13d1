# Texts of the dialog engine and of commands, shared by every dialog.
language-name = Nederlands
datetime-format = %d-%m-%Y om %H:%M

dialog-not-understood = Dat begreep ik niet helemaal. Kies een van de knoppen, of typ het nummer.
dialog-option-hint = • { $label }: { $hint }
dialog-ticked = ✓ { $label }
dialog-done = Klaar
dialog-skip = Overslaan
dialog-skipped = (overgeslagen)
dialog-summary-line = { $label }: { $value }
dialog-edit-which = Wat wilt u aanpassen?
dialog-edit-back = Niets, terug naar het overzicht
dialog-numbered-option = { $number }. { $label }
dialog-reply-with-number = Antwoord met het nummer van uw keuze.
dialog-button-expired = Deze knop hoort bij een eerdere vraag.
dialog-story-kept = Ontvangen. U kunt meer schrijven, of op "Klaar" drukken als u alles verteld hebt.
dialog-chosen = Gekozen: { $label }

reporter-help =
    Zo werkt het: u vertelt hier wat er is gebeurd, en een vertrouwenspersoon neemt binnen { $hours } uur contact met u op, in dit gesprek. Uw naam en telefoonnummer worden niet doorgegeven.

    Opdrachten:
    /start: beginnen of verdergaan
    /status: hoe staat mijn melding ervoor
    /token: mijn meldingscode
    /language: taal kiezen
    /done: klaar met vertellen
    /stop: stoppen met een melding die nog niet is verstuurd (er wordt niets bewaard)
    /consent: wijzigen wat de vertrouwenspersoon mag bewaren
    /wipe: mijn berichten in dit gesprek verwijderen
    /forget: mijn melding intrekken en wissen
    /mydata: een kopie van alles wat over mijn melding is bewaard
    /resume CODE GEHEIM: verder met een melding vanaf een ander toestel

    Bij acuut gevaar: bel 112.
reporter-unknown-command = { $command } ken ik niet. Deze opdrachten kunt u gebruiken: { $commands }
reporter-did-you-mean = Bedoelde u { $command }?
reporter-too-long = Dit bericht is te lang ({ $length } tekens; het maximum is { $limit }). Het is niet bewaard. Wilt u het in een paar kortere berichten sturen?
reporter-unsupported = Dit soort bericht kan ik (nog) niet doorgeven. Wilt u het in tekst beschrijven?
reporter-language-pick = Kies uw taal:
reporter-language-set = De taal is nu Nederlands.
reporter-stopped = Gestopt. Er is niets bewaard en niets doorgegeven. Met /start kunt u altijd opnieuw beginnen.
reporter-nothing-to-stop = Er loopt nu geen melding, dus er is niets om te stoppen.
reporter-stop-submitted = Uw melding { $token } is al bij een vertrouwenspersoon. U kunt hier gewoon verder schrijven.
reporter-status-none = U hebt nog geen melding gedaan. Met /start begint u.
reporter-status-intake = U bent bezig met een melding; die is nog niet verstuurd.
reporter-status-waiting = Uw melding { $token } is ontvangen. Een vertrouwenspersoon neemt uiterlijk { $due } contact met u op.
reporter-status-contacted = Uw melding { $token } is in behandeling bij { $counsellor }. Schrijf hier als u iets wilt vragen of vertellen.
reporter-token = Uw meldingscode is { $token }. Bewaar deze goed: daarmee kunt u later naar uw melding verwijzen.
reporter-token-none = U krijgt een meldingscode zodra uw melding is verstuurd.
reporter-already-open = Uw melding { $token } loopt al. Schrijf gewoon hier: uw bericht gaat naar uw vertrouwenspersoon.
reporter-continue-intake = U was al begonnen. We gaan verder waar u was:
reporter-done-nothing = Er is nu niets om af te ronden.
reporter-intake-expired = Uw melding was nog niet verstuurd en er is een tijd niets gebeurd. Daarom is alles wat u had ingevuld gewist. Met /start kunt u opnieuw beginnen.
reporter-counsellor-says = { $name }: { $text }
reporter-counsellor-emote = { $name } { $text }

reporter-resume-usage = Gebruik: /resume MELDINGSCODE GEHEIME-CODE, bijvoorbeeld /resume VP-7KQ3-M9TD AB12-CD34. Beide codes kreeg u aan het eind van uw melding.
reporter-resume-wrong = Die combinatie van meldingscode en geheime code ken ik niet. Controleer beide codes; na enkele pogingen moet u even wachten.
reporter-resume-locked = Te veel pogingen. U kunt het opnieuw proberen na { $until }.
reporter-resume-notice = Let op: een ander gesprek is zojuist aan uw melding gekoppeld met /resume. Was u dat niet, laat het dan hier weten aan uw vertrouwenspersoon.
reporter-resumed = Dit gesprek is nu gekoppeld aan uw melding. Berichten van uw vertrouwenspersoon komen ook hier, en wat u hier schrijft gaat naar hem of haar.
reporter-resume-own-case = Dit gesprek hoort al bij een eigen melding, dus het kan niet ook aan een andere worden gekoppeld. Gebruik /resume in een nieuw gesprek met de bot, of wis eerst de melding van dit gesprek met /forget.
reporter-undecryptable = Uw laatste bericht kon ik niet ontsleutelen, dus het is niet doorgegeven. Verifieer uw sessie in uw Matrix-app (Instellingen → Beveiliging) en stuur het daarna opnieuw.
reporter-not-encrypted = Uw bericht kwam zonder versleuteling binnen, dus ik heb het niet gelezen: zonder versleuteling vraag ik niets over wat er is gebeurd. Staat dit gesprek nu als versleuteld aangegeven, stuur het dan opnieuw; zo niet, begin dan een nieuw gesprek met mij met versleuteling aan (in Element is dat standaard: "Gesprek beginnen").
reporter-correction = Correctie van { $name }: { $text }
reporter-edit-not-taken = Ik zie dat u een bericht heeft aangepast. Tijdens de vragen houd ik het eerste antwoord aan; wilt u iets anders zeggen, stuur het dan gewoon opnieuw.
reporter-referred = Sterkte. Er is niets over u bewaard. Als u zelf ooit ongewenst gedrag meemaakt, kunt u hier met /start altijd terecht.

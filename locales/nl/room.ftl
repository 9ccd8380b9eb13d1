# What the bot writes in case rooms, for counsellors.
room-topic = Melding { $token }. Berichten die met ! beginnen zijn opdrachten en gaan niet naar de melder. Typ !help voor de lijst.
room-case-opened =
    Nieuwe melding { $token }.
    Contact met de melder uiterlijk { $due } ({ $hours } uur).

    { $answers }

    Alles wat u hier schrijft gaat naar de melder, behalve berichten die met ! beginnen. !help geeft de opdrachten.
room-reporter-says = { $text }
room-help =
    Opdrachten (worden nooit naar de melder gestuurd):
    !help: deze lijst
    !status: token, soort, leeftijd, contacttermijn, wie het heeft
    !summary: de antwoorden uit het intakegesprek opnieuw
    !history [N]: de laatste N berichten uit het dossier (standaard 20)
    !note TEKST: aantekening, alleen in het dossier
    !shared-note TEKST: aantekening die de melder in de kopie via /mydata leest (niet live gestuurd)
    !contacted: contact is op een andere manier gelegd (stopt de 48-uursklok)
    !escalate REDEN: de coördinator erbij halen
    !handover @naam:server: overdragen aan een andere vertrouwenspersoon
    !time 45m: bestede tijd voor de registratie
    !close UITKOMST: afsluiten (listening-ear, advice, referral, mediation, formal-complaint, police-report, withdrawn)
    !reopen: heropenen
    !share-request: de melder vragen of er gedeeld mag worden
    !inform-hr: de melder vragen of HR mag weten dat er steun was (alleen met ja gaat er iets naar HR)
    !feedback: terugkoppeling gegeven (integriteitsmeldingen, 3 maanden)
    !away until 2026-12-01 / !back: afwezig; nieuwe meldingen gaan dan naar anderen
room-unknown-command = { $command } is geen opdracht die ik ken.{ $suggestion ->
        [none] {""}
       *[other] {" "}Bedoelt u { $suggestion }?
    } Typ !help voor de lijst. Dit bericht is niet naar de melder gestuurd.
room-not-a-counsellor = Dit bericht is niet doorgegeven: alleen vertrouwenspersonen van deze melding kunnen hier schrijven.
room-reporter-sent-unsupported = De melder stuurde iets dat niet kan worden doorgegeven (bijvoorbeeld een sticker of locatie).
room-outsider-removed = { $user } is uit deze ruimte verwijderd: alleen vertrouwenspersonen die de bot bij deze melding haalt mogen hier zijn. Nodig niemand zelf uit; gebruik !handover of !escalate. Wat hierna komt is met een nieuwe sleutel versleuteld.
room-undecryptable = Een bericht van { $sender } kon de bot niet ontsleutelen en is dus niet doorgegeven. Meestal komt dat doordat het apparaat waarmee u schreef niet is geverifieerd (in Element: Instellingen → Beveiliging, of verifieer deze sessie met een ander apparaat van u), of doordat Element alleen naar geverifieerde sessies versleutelt en de bot nog niet is geverifieerd (zie de README: de bot verifiëren). Stuur het bericht daarna opnieuw.
room-not-deleted = Een bewerkt of verwijderd bericht kon in het gesprek van de melder niet worden aangepast (Telegram staat verwijderen alleen toe binnen 48 uur): daar staat het nog zoals het was. { $quoted ->
        [yes] Het begon met: "{ $excerpt }"
       *[other] { "" }
    }
room-edit-not-relayed = Deze bewerking is niet doorgegeven: het oorspronkelijke bericht was een opdracht of aantekening, of is nooit doorgegeven.
room-edit-command = Een bewerkte opdracht wordt niet uitgevoerd en niet doorgegeven. Stuur de opdracht opnieuw als nieuw bericht.
room-note-edited = Aantekening bijgewerkt (niet naar de melder gestuurd).
room-not-passed-on = Dit bericht is niet doorgegeven: de bot kan alleen tekst, foto's, bestanden en geluid doorgeven, en dit was iets anders of leeg.
room-summary =
    Melding { $token }: de antwoorden uit het intakegesprek.

    { $answers }
room-reporter-edited = (De melder paste een eerder bericht aan; nu:) { $text }
room-history =
    Melding { $token }: de laatste { $count } van { $total } berichten uit het dossier.

    { $lines }
room-history-line = [{ $when }] { $who }: { $text }
room-history-reporter = Melder
room-history-bot = Bot
room-history-note = Aantekening van { $name }
room-history-empty = Het dossier van deze melding bevat geen berichten (meer).
room-history-usage = Gebruik: !history of !history 50 (hoogstens 200 berichten).
# In een kamer die de bot voor één melding twee keer maakte (na een verbindingsprobleem), voordat hij vertrekt.
room-duplicate-notice = Deze kamer is na een verbindingsprobleem een tweede keer gemaakt voor dezelfde melding. Wat hier wordt geschreven, komt bij niemand aan, en de bot verlaat de kamer. Gebruik de andere kamer met de naam { $name }.
room-duplicate-name = { $name } (niet in gebruik)
room-consultation = Dit is een adviesvraag van een leidinggevende, collega of getuige over de situatie van iemand anders, geen melding van wie het zelf meemaakte. Het telt in de registratie als consultatie.
room-history-shared-note = Gedeelde aantekening van { $name }
room-accused = Deze persoon zegt zelf beschuldigd te zijn, en is hier bij de vertrouwenspersoon voor beschuldigden; de vertrouwenspersonen van de melders zien deze melding niet. Het telt in de registratie als beschuldigde.

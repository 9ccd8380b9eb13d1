# Deadlines, reminders, escalation, assignment and the counsellors' commands.
promise-first-contact = het eerste contact
promise-integrity-acknowledge = de ontvangstbevestiging (integriteitsmelding, 7 dagen)
promise-integrity-feedback = de terugkoppeling (integriteitsmelding, 3 maanden)
room-reminder = Herinnering voor { $counsellor }: { $promise } bij { $token } moet uiterlijk { $due } (nog { $left_hours ->
        [0] { $left_minutes } minuten
       *[other] { $left_hours } uur
    }).
room-deadline-missed = De termijn voor { $promise } ({ $due }) is verstreken.
room-escalated = { $target } is bij deze melding gehaald: { $why } { $reason }
room-no-one-to-escalate-to = Escaleren lukte niet: er is geen coördinator of achtervang ingesteld, of die is al betrokken. { $why } { $reason }
room-why-counsellor = op verzoek van een vertrouwenspersoon.
room-why-deadline = een termijn is gemist.
room-why-away = de toegewezen vertrouwenspersoon is afwezig terwijl een termijn nadert.
reporter-deadline-missed = Het spijt ons: u had binnen { $hours } uur iets van ons moeten horen, en dat is niet gelukt. De coördinator van de vertrouwenspersonen is nu ingeschakeld en neemt zo snel mogelijk contact met u op, hier in dit gesprek.
reporter-escalated = Er is nu ook een andere vertrouwenspersoon bij uw melding betrokken: { $name }. Alles blijft vertrouwelijk; u kunt hier gewoon verder schrijven.
reporter-no-fit = Geen van de vertrouwenspersonen past op dit moment bij uw voorkeuren. Uw melding gaat daarom naar de coördinator van de vertrouwenspersonen, die ervoor zorgt dat u binnen { $hours } uur iemand spreekt.
room-no-fit = Let op: geen vertrouwenspersoon paste bij de voorkeuren van de melder, of iedereen zat vol of was afwezig. De melding is daarom bij de coördinator terechtgekomen.
digest =
    Uw meldingen met een termijn in de komende 24 uur ({ $count }):
    { $cases }
digest-line = • { $token }: uiterlijk { $due }

room-not-a-member = Niet doorgegeven en niet uitgevoerd: u bent geen vertrouwenspersoon van deze melding. Vraag zo nodig om een !handover.
room-not-now = { $command } kan nu niet bij deze melding (die is nog niet ingediend, al afgesloten of nog open).
room-status =
    Melding { $token }
    Soort: { $category }
    Ingediend: { $age_days } dagen en { $age_hours } uur geleden
    Contact: { $contact }
    Vertrouwenspersoon: { $assigned }
    Geëscaleerd: { $escalated }
    Bestede tijd: { $minutes } minuten
    Niet afgeleverd: { $undelivered ->
        [0] geen
       *[other] { $undelivered } bericht(en), zie de meldingen hierboven
    }
    Niemand meer in te schakelen: { $nobody_left ->
        [1] ja, de melder sloot de overige beschikbare vertrouwenspersonen uit
       *[other] nee
    }
room-status-no-category = niet opgegeven
room-status-contact-made = gelegd op { $when }
room-status-contact-due = uiterlijk { $due } (nog { $left_hours } uur)
room-status-contact-missed = termijn gemist ({ $due })
room-note-usage = Gebruik: !note TEKST. De aantekening komt alleen in het dossier, niet bij de melder.
room-note-kept = Aantekening bewaard (niet naar de melder gestuurd).
room-contacted = Genoteerd: er is contact gelegd. De klok is gestopt.
room-feedback-given = Genoteerd: de terugkoppeling is gegeven.
room-escalate-usage = Gebruik: !escalate REDEN, bijvoorbeeld: !escalate ernstige bedreiging, advies nodig
room-handover-usage = Gebruik: !handover @naam:server, met een van: { $counsellors }
room-handover-same = Deze melding is al van die vertrouwenspersoon.
room-handover = { $counsellor } is uitgenodigd en neemt deze melding over. De vorige vertrouwenspersoon verlaat de ruimte zodra { $counsellor } hier iets schrijft.
room-handover-done = De overdracht is voltooid; { $counsellor } verlaat de ruimte.
room-time-usage = Gebruik: !time 45m (of 1h30m, 2u), hoogstens 24 uur per keer.
room-time-added = { $added } minuten genoteerd; totaal { $hours } uur en { $minutes } minuten.
room-away-usage = Gebruik: !away until 2026-12-01 (of 1-12-2026): de dag waarop u terug bent.
room-away-set = U staat als afwezig tot { $until }. Nieuwe meldingen gaan naar anderen; bij uw meldingen wordt de coördinator ingeschakeld als een termijn nadert. Met !back bent u weer beschikbaar.
room-back = Welkom terug: u krijgt weer nieuwe meldingen.
digest-nobody-left = Let op: { $count } melding(en) zonder vertrouwenspersoon, omdat de melder iedereen die beschikbaar was heeft uitgesloten. Kijk of iemand die niet is uitgesloten (weer) beschikbaar kan zijn.
reporter-nobody-left = Op dit moment is er niemand beschikbaar die past bij uw wensen, ook niet onder de mensen die u niet uitsloot. Wij schakelen niemand in die u heeft uitgesloten. Uw melding is bewaard en gemarkeerd; u hoort van ons zodra iemand die u niet uitsloot haar kan oppakken.
reporter-deadline-missed-nobody = Het spijt ons: u had binnen { $hours } uur van ons moeten horen, en dat is niet gebeurd. De coördinator is iemand die u niet wilde betrekken, dus die schakelen wij niet in. Uw vertrouwenspersoon is opnieuw gewaarschuwd en uw melding is gemarkeerd.
room-nobody-left = Niet geëscaleerd: de coördinator en de reserve zijn al betrokken, niet ingesteld, of door de melder uitgesloten. De melding is gemarkeerd (zie !status en het dagoverzicht). { $why } { $reason }
room-handover-excluded = Niet overgedragen: de melder wil { $counsellor } niet bij deze melding betrekken. Kies iemand anders.
room-assigned-late = Deze melding had nog geen vertrouwenspersoon (iedereen die paste was uitgesloten, afwezig of vol). { $counsellor } is nu uitgenodigd en neemt haar op.
reporter-assigned-late = Er is nu een vertrouwenspersoon voor uw melding: { $name }. U hoort hier van hem of haar.
room-shared-note-usage = Gebruik: !shared-note TEKST. De aantekening komt in het dossier en in de kopie die de melder met /mydata kan opvragen; ze wordt niet naar de melder gestuurd.
room-shared-note-kept = Gedeelde aantekening bewaard: niet naar de melder gestuurd, wel in de kopie die de melder met /mydata kan opvragen.
digest-organisation = { $organisation }:

# The intake dialog (dialogs/intake.toml).
intake-welcome =
    Welkom. Hier kunt u in vertrouwen iets melden over ongewenst gedrag op het werk, zoals intimidatie, pesten, discriminatie, agressie of een integriteitskwestie.

    Achter dit gesprek zitten de vertrouwenspersonen van { $organisation }: { $counsellors }.
    • Een vertrouwenspersoon luistert, denkt met u mee en doet niets zonder uw toestemming. Hij of zij is geen onderzoeker.
    • Wat u vertelt is vertrouwelijk. Uw naam en telefoonnummer worden niet doorgegeven. Eén grens: bij een ernstig misdrijf kan een wettelijke meldplicht gelden, daarom is volledige anonimiteit niet te garanderen.
    • Een melding heeft geen gevolgen voor uw positie.
    • Binnen { $hours } uur neemt een vertrouwenspersoon contact met u op, hier in dit gesprek.

    Bij acuut gevaar: bel { $emergency }.
intake-welcome-continue = Verder
intake-welcome-language = Andere taal / other language
intake-category = Waar gaat het over? Als u het niet precies weet, is dat ook goed.
intake-category-summary = Onderwerp
category-sexual-harassment = Seksuele intimidatie
category-aggression = Agressie, geweld of bedreiging
category-discrimination = Discriminatie
category-bullying = Pesten
category-integrity = Integriteit (fraude, diefstal, machtsmisbruik)
category-other = Iets anders / weet ik niet
intake-story = Vertel in uw eigen woorden wat er is gebeurd. U mag meerdere berichten sturen. Druk op "Klaar" (of stuur /done) als u klaar bent.
intake-story-summary = Uw verhaal
intake-confirm =
    Dit is wat u hebt verteld:

    { $answers }

    Klopt dit, en mag het naar een vertrouwenspersoon?
intake-confirm-send = Ja, versturen
intake-confirm-change = Iets aanpassen
intake-confirm-cancel = Stoppen (niets bewaren)
intake-submitted =
    Dank u. Uw melding is verstuurd.

    Uw meldingscode is { $token }. Bewaar deze goed.
    Een vertrouwenspersoon neemt uiterlijk { $due } contact met u op, hier in dit gesprek. U kunt hier intussen gewoon verder schrijven.

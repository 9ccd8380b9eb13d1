# !inform-hr: HR is told that support was given, only with the employee's yes.
# Dialog: dialogs/inform-hr.toml.
hr-ask =
    Uw vertrouwenspersoon vraagt of HR mag weten dat u steun van een vertrouwenspersoon hebt gekregen. Dat hoeft niet: zonder uw ja krijgt HR niets.
    Als u ja zegt, ziet u eerst precies wat HR krijgt.
hr-summary = HR laten weten dat er steun was
hr-with-name = Ja, met mijn naam
hr-anonymous = Ja, anoniem (alleen datum en afdeling)
hr-not = Nee
hr-name = Welke naam mag HR lezen? Typ die zoals HR hem mag zien.
hr-confirm =
    Dit krijgt HR, precies zo:

    «{ $hr_message }»

    Versturen?
hr-confirm-summary = Bericht aan HR
hr-send = Ja, versturen
hr-cancel = Nee, toch niet
hr-told = Verstuurd. HR kreeg alleen dit bericht, verder niets over uw melding.
hr-not-told = Goed, HR krijgt niets. Uw vertrouwenspersoon ziet uw antwoord.
hr-no-unit = afdeling niet genoemd
hr-message-named = { $name } heeft steun gekregen van een vertrouwenspersoon van { $organisation } (melding van { $date }, { $unit }). Dit bericht is met toestemming verstuurd.
hr-message-anonymous = Een medewerker ({ $unit }) heeft steun gekregen van een vertrouwenspersoon van { $organisation } (melding van { $date }). Dit bericht is met toestemming verstuurd; de naam is niet bekendgemaakt.
room-hr-not-set-up = Er is geen HR-kamer ingesteld (organisation.hr_room in de configuratie); er is niets gevraagd en niets verstuurd.
room-hr-not-open = Deze melding is niet open; er is niets gevraagd.
room-hr-asked = De melder is gevraagd of HR mag weten dat er steun was, en hoe. Zonder ja gaat er niets naar HR. Het antwoord verschijnt hier.
room-hr-sent = Met toestemming van de melder kreeg HR precies dit: «{ $message }»

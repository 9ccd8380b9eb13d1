# When something did not arrive, or could not be handled: whoever is waiting is told.

room-undelivered = Let op: een bericht kon niet bij de melder worden afgeleverd, { $why ->
        [unreachable] omdat de melder de bot heeft geblokkeerd of het gesprek heeft verwijderd
        [too-large] omdat het te groot was voor het netwerk
        [gave-up] omdat het { $hours } uur lang niet lukte
       *[other] omdat het netwerk het weigerde
    }.{ $quoted ->
        [no] {""}
       *[yes] {" "}Het ging om: "{ $excerpt }".
    } Het bericht is bewaard maar niet verstuurd. { $why ->
        [unreachable] De melder leest u pas weer als die de bot deblokkeert of opnieuw begint.
        [too-large] Stuur het korter of in delen.
       *[other] Probeer het later opnieuw, of in andere woorden.
    }
reporter-undelivered = Uw bericht kon niet worden doorgegeven aan de vertrouwenspersoon, { $why ->
        [too-large] omdat het te groot was
        [gave-up] omdat het { $hours } uur lang niet lukte
       *[other] omdat het niet werd aangenomen
    }.{ $quoted ->
        [no] {""}
       *[yes] {" "}Het ging om: "{ $excerpt }".
    } Het is bewaard, en verder is er niets verloren gegaan. { $why ->
        [too-large] Stuur het gerust korter of in delen.
       *[other] Probeer het gerust later opnieuw.
    }
room-not-invited = Let op: { $user } kon niet worden uitgenodigd voor deze melding, { $why ->
        [unknown-user] omdat dat Matrix-account niet bestaat
        [gave-up] omdat het { $hours } uur lang niet lukte
       *[other] omdat de server het weigerde
    }. Controleer het Matrix-id in de instellingen; de melder is niets anders verteld.
reporter-set-aside = Er ging iets mis met uw laatste bericht. Het is apart gezet (niet verloren) zodat de beheerder ernaar kan kijken, en al het andere gaat gewoon door. Probeer het gerust nog eens, eventueel in andere woorden.
room-set-aside = Uw laatste bericht of opdracht kon niet worden verwerkt. Het is apart gezet voor de beheerder en niet naar de melder gestuurd. Probeer het nog eens, eventueel anders.
reporter-case-unreadable = Uw melding kan op dit moment niet worden geopend. Er is niets verloren gegaan en uw bericht is bewaard; de beheerder is gewaarschuwd. Probeer het later opnieuw.
room-case-unreadable = Deze melding kan op dit moment niet worden geopend: de sleutel of het dossier ervan is beschadigd. Berichten worden bewaard maar niet doorgegeven; de beheerder ziet het in het logboek (confidant check-store).
# Onder een bericht dat de bot opnieuw stuurde na een verbindingsprobleem, zonder te weten
# of de eerste poging was aangekomen (kort: het moet naast een lang bericht passen).
delivery-resent-note = ↻ Opnieuw verstuurd na een verbindingsprobleem: mogelijk hebt u dit bericht twee keer.

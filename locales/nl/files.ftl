# Bestanden (foto's, schermafbeeldingen, spraakberichten, documenten).
reporter-file-received = Uw bestand is doorgegeven als { $name }. Verborgen gegevens (zoals de plaats waar een foto is gemaakt en de naam van de maker) zijn er eerst uit gehaald.
reporter-file-received-uncleaned = Uw bestand is doorgegeven als { $name }. Let op: uit dit soort bestand kan ik verborgen gegevens (zoals een plaats of naam) niet verwijderen. De vertrouwenspersoon is gewaarschuwd.
reporter-file-too-large = Dit bestand is te groot ({ $size } MB; het maximum is { $limit } MB). Het is niet bewaard en niet doorgegeven.
reporter-file-type-refused = Dit soort bestand kan ik niet doorgeven. Het is niet bewaard. Wel mogelijk: { $types }.
reporter-file-unavailable = Dit bestand kon ik niet ophalen. Het is niet bewaard. Wilt u het nog eens sturen?
reporter-file-too-complex = Dit bestand kan ik niet veilig verwerken (het is uitgepakt veel groter of ingewikkelder dan het lijkt). Het is niet bewaard en niet doorgegeven. Stuur gerust een schermafbeelding of een pdf.
reporter-file-quota = Bij deze melding zijn al { $count } bestanden bewaard; meer kan er niet bij. Dit bestand is niet bewaard en niet doorgegeven. Vraag de vertrouwenspersoon hoe u het anders kunt delen.
reporter-file-before-submit = Bestanden kunt u sturen zodra uw melding is verstuurd. Dit bestand is niet bewaard. Met /start begint of vervolgt u uw melding.
reporter-counsellor-sent-file = { $name } stuurt u een bestand.
room-reporter-sent-file = De melder stuurde een bestand: { $name }
room-file-not-cleaned = Let op: uit { $name } konden verborgen gegevens (zoals een plaats of naam van de maker) niet worden verwijderd. Wees voorzichtig met doorsturen.
room-file-partly-cleaned = Let op: uit { $name } zijn de documenteigenschappen verwijderd, maar in opmerkingen of bijgehouden wijzigingen kunnen nog namen staan.
room-file-refused = Dit bestand is niet naar de melder gestuurd: alleen { $types } tot { $limit } MB kunnen worden doorgegeven.
room-file-sent = { $name } is naar de melder gestuurd.
room-file-quota = Dit bestand is niet naar de melder gestuurd: bij deze melding zijn al { $count } bestanden bewaard, het maximum (limits.max_files_per_case).
room-file-unavailable = Dit bestand kon niet van de server worden opgehaald en is niet naar de melder gestuurd. Probeer het nog eens.

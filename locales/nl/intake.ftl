# The intake dialog (dialogs/intake.toml).
intake-welcome =
    Welkom. Hier kunt u in vertrouwen iets kwijt over ongewenst gedrag op het werk: intimidatie, pesten, discriminatie, agressie of iets wat niet integer is.

    U praat hier met de vertrouwenspersonen van { $organisation }: { $counsellors }.
    • Een vertrouwenspersoon luistert, denkt met u mee over wat u kunt doen en doet niets zonder uw toestemming.
    • Een vertrouwenspersoon is geen onderzoeker en geen bemiddelaar, en is er niet voor gewone arbeidsconflicten of reorganisaties.
    • Wat u vertelt blijft vertrouwelijk; uw naam en telefoonnummer worden niet doorgegeven. Eén grens: bij een ernstig misdrijf kan de wet melding verplichten. Volledige anonimiteit is daarom niet te beloven.
    • Melden heeft geen gevolgen voor uw positie.
    • Binnen { $hours } uur neemt een vertrouwenspersoon contact met u op, hier in dit gesprek.

    U kunt elke vraag overslaan. Het duurt een paar minuten. Bij acuut gevaar: bel { $emergency }.
intake-welcome-continue = Verder
intake-welcome-language = Andere taal / other language
intake-safety = Eerst dit: is iemand nu in acuut gevaar, uzelf of een ander?
intake-safety-no = Nee
intake-safety-yes = Ja
intake-safety-help =
    Bel bij acuut gevaar direct { $emergency }.

    Andere hulp, dag en nacht:
    • Politie (geen spoed): { $police }
    • 113 Zelfmoordpreventie (anoniem): { $suicide_prevention }
    • Centrum Seksueel Geweld (gratis): { $sexual_violence }
    • Veilig Thuis (huiselijk geweld): { $domestic_violence }
    • Slachtofferhulp Nederland: { $victim_support }
    • Huis voor Klokkenluiders (advies, kan anoniem): { $whistleblowers }

    Wilt u daarna hier verdergaan? Dat kan altijd.
intake-safety-continue = Verder met de melding
intake-category = Waar gaat het over? Weet u het niet precies, dan is dat ook goed.
intake-category-summary = Onderwerp
category-sexual-harassment = Seksuele intimidatie
category-sexual-harassment-hint = opmerkingen, aanrakingen of toenadering met een seksuele lading
category-aggression = Agressie of geweld
category-aggression-hint = schelden, bedreigen, duwen of slaan
category-discrimination = Discriminatie
category-discrimination-hint = anders behandeld om bijvoorbeeld afkomst, geloof, geslacht of geaardheid
category-bullying = Pesten
category-bullying-hint = steeds weer buitengesloten, belachelijk gemaakt of gekleineerd
category-intimidation = Intimidatie
category-intimidation-hint = onder druk gezet of bang gemaakt
category-integrity = Integriteit
category-integrity-hint = fraude, diefstal, corruptie, machtsmisbruik of chantage
category-other = Iets anders / weet ik niet
category-other-hint = u hoeft het geen naam te geven
intake-ongoing = Speelt het nu nog?
intake-ongoing-summary = Speelt nog
intake-ongoing-yes = Ja
intake-ongoing-no = Nee
intake-since = Sinds wanneer?
intake-since-summary = Sinds
intake-since-recent = Kort geleden
intake-since-months = Een paar maanden
intake-since-long-ago = Lang geleden
intake-relation = Wie is de ander voor u?
intake-relation-summary = De ander is
intake-relation-manager = Leidinggevende
intake-relation-colleague = Collega
intake-relation-client = Klant of huurder
intake-relation-other = Iemand anders
intake-others = Overkomt dit ook anderen?
intake-others-summary = Ook anderen
intake-others-yes = Ja
intake-others-no = Nee
intake-others-unknown = Weet ik niet
intake-unit = In welk deel van de organisatie werkt u? Dat tellen we alleen anoniem, en het helpt een vertrouwenspersoon voor uw afdeling of regio te vinden.
intake-unit-summary = Deel van de organisatie
intake-wishes = Wat zou u willen? Kies gerust meer dan één, en druk dan op "Klaar".
intake-wishes-summary = Wensen
intake-wishes-listening = Een luisterend oor
intake-wishes-advice = Advies over wat ik kan doen
intake-wishes-conversation = Hulp bij een gesprek
intake-wishes-mediation = Bemiddeling
intake-wishes-complaint = Een formele klacht
intake-wishes-police = Aangifte bij de politie
intake-wishes-not-sure = Weet ik nog niet
intake-gender = Heeft u liever een vrouw of een man als vertrouwenspersoon?
intake-gender-summary = Vertrouwenspersoon
intake-gender-female = Een vrouw
intake-gender-male = Een man
intake-no-preference = Maakt niet uit
intake-kind = Liever iemand van binnen de organisatie, of van buiten?
intake-kind-summary = Intern of extern
intake-kind-internal = Intern
intake-kind-external = Extern
intake-exclude = Is er een vertrouwenspersoon die u liever niet spreekt? Noem dan de voornaam. Zo niet, sla deze vraag over.
intake-exclude-summary = Liever niet
intake-contact = Hoe wilt u contact?
intake-contact-summary = Contact
intake-contact-this-chat = Hier in dit gesprek
intake-contact-phone = Telefonisch
intake-contact-phone-hint = de vertrouwenspersoon vraagt hier eerst om uw nummer; met uw nummer bent u herkenbaar
intake-story = Vertel in uw eigen woorden wat er is gebeurd. Meerdere berichten mag. Druk op "Klaar" (of stuur /done) als u klaar bent.
intake-story-summary = Uw verhaal
intake-consent = Mag de vertrouwenspersoon een dossier over uw melding bijhouden?
intake-consent-summary = Dossier
intake-consent-dossier = Ja, een dossier
intake-consent-dossier-hint = alleen de vertrouwenspersoon kan het inzien
intake-consent-tally = Nee, alleen tellen
intake-consent-tally-hint = alleen het onderwerp telt mee in de anonieme jaarcijfers
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
    Uw geheime code is { $code }. Deze ziet u maar één keer. Met /resume { $token } { $code } kunt u vanaf een ander toestel of via Matrix verder met deze melding.
    Een vertrouwenspersoon neemt uiterlijk { $due } contact met u op, hier in dit gesprek. U kunt hier intussen gewoon verder schrijven. Met /status ziet u hoe het ervoor staat.
intake-welcome-advice = Advies als leidinggevende, collega of getuige
intake-welcome-accused = Ik word zelf beschuldigd
intake-advice-category =
    U vraagt advies over de situatie van iemand anders, bijvoorbeeld als leidinggevende, collega of getuige. Een vertrouwenspersoon denkt met u mee; noem liever geen namen.

    Waar gaat het over?
intake-advice-story = Beschrijf de situatie en uw vraag in uw eigen woorden. U kunt meerdere berichten sturen; tik op Klaar als u klaar bent.
intake-advice-story-summary = Uw vraag
intake-accused =
    Een vertrouwenspersoon steunt mensen die ongewenst gedrag hebben meegemaakt. Wie zelf beschuldigd wordt, kan een vertrouwenspersoon daarom niet begeleiden: dat zou de vertrouwenspersoon in een dubbele rol brengen. U staat er niet alleen voor. Hier kunt u terecht:
    • de bedrijfsarts, via HR of de arbodienst, voor wat dit met u doet;
    • uw huisarts, voor steun of een verwijzing naar een psycholoog;
    • Het Juridisch Loket, gratis juridisch advies: { $legal_advice };
    • uw vakbond of rechtsbijstandsverzekeraar, als u daar lid van bent.
    Bij een formele klacht wordt u gehoord voordat er iets wordt besloten (hoor en wederhoor).

    Er wordt niets over u bewaard; alleen een anoniem aantal wordt geteld.
intake-accused-understood = Begrepen, dank u
intake-accused-back = Terug
intake-accused-own =
    Een vertrouwenspersoon steunt mensen die ongewenst gedrag hebben meegemaakt, en kan daarom niet ook wie beschuldigd wordt begeleiden. { $organisation } heeft daarvoor een aparte vertrouwenspersoon, die de melders niet begeleidt. Wilt u met die vertrouwenspersoon praten, of liever weten waar u verder terecht kunt?
intake-accused-talk = Praten met de vertrouwenspersoon voor beschuldigden
intake-accused-referral = Waar kan ik terecht?
intake-accused-story = Vertel in uw eigen woorden wat er speelt en waar u mee zit. U kunt meerdere berichten sturen; tik op Klaar als u klaar bent.
intake-accused-story-summary = Uw verhaal

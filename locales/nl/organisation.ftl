# Een bot die meerdere organisaties bedient, hoort aan een code (op de poster, in de
# link) welke het is. Zonder code vraagt hij erom, en noemt hij er geen.
reporter-code-ask =
    Hallo. Om de vertrouwenspersonen van uw organisatie te bereiken, heb ik eerst de code van uw organisatie nodig. U vindt die op de poster of in de link die uw organisatie u gaf (de link stuurt hem vanzelf mee). Stuur mij de code als bericht: één woord, verder niets.
    Ik bewaar niets van wat u stuurt zolang ik de code niet ken.

//! What Belgian local authorities do: the competences and services of
//! communes, CPAS/OCMW/ÖSHZ, provinces, police and rescue zones and
//! intercommunales, each concept with its usual names in French, Dutch,
//! German and English mapped to one form. Same format as `lexicon_abbr`.
//!
//! # Where the list comes from
//!
//! It is a coverage of the whole field, written section by section from the
//! structure of Belgian local government, not from any need:
//! - the functional classification of the communal budget (Walloon RGCC
//!   codes 000–939: general administration, police, fire, roads, transport,
//!   trade, agriculture, education, culture, youth, sport, worship, social
//!   aid, housing, health, hygiene, waste, cemeteries, environment,
//!   urbanism; the Flemish BBC "beleidsvelden" 0010–0999 name the same);
//! - the missions of the CPAS set by the organic law of 8 July 1976 and the
//!   services a CPAS usually runs (integration income, social aid, energy
//!   funds, debt mediation, socio-professional integration, local reception
//!   initiative, home help, meals, remote alarm, care homes…);
//! - the usual organisation chart of a commune's support services (council
//!   and college secretariat, mail, archives, legal, procurement, finance,
//!   taxes, accounting, HR and payroll, prevention, communication, IT);
//! - the usual IT of a local authority (network, servers, backup, identity
//!   and passwords, endpoints, telephony, printing, websites, e-counter, GIS,
//!   security, helpdesk).
//!
//! About half of these concepts appear in no dev need; `docs/MATCHING.md`
//! says how their occurrence in the dev sets was compared with other text of
//! the domain (`examples/lexicon_fit.rs`).
//!
//! # The rule (every lexicon file follows it)
//!
//! An entry belongs here only if *any* local-authority IT need may use it,
//! whatever its topic, and someone who had never read the dev sets would have
//! written it:
//! 1. Belgian local bodies, councils, officials, institutions, registers and
//!    their acronyms (CPAS/OCMW/ÖSHZ, collège communal, RGPD, BCE, RIS…);
//! 2. generic acts and objects of administration (request, permit, register,
//!    invoice, payment, appointment, booking, registration, signature,
//!    archive, contract, decision, deadline, report…);
//! 3. generic IT vocabulary (software, platform, database, online, form, map,
//!    dashboard, export, interface, notification…);
//! 4. the departments and competences of a commune or CPAS as named on an
//!    organisation chart (population, état civil, urbanisme, travaux,
//!    enseignement, petite enfance, jeunesse, logement, mobilité, finances,
//!    personnel…) and the people they serve (citizen, agent, parent, pupil,
//!    owner, trader…).
//!
//! Never the object of one particular need (firewood, debts, trees, hornets,
//! parking meters, bicycles, energy meters…), even when it looks generic: a
//! word added because a dev need uses it makes the matcher worse on the needs
//! it has not seen. Generality comes from the analysis instead: stemming,
//! compound splitting, Dutch diminutives, typo, derivation and cognate
//! matching (`fuzzy.rs`).
//!
//! Here, a concept is a service, a mission or a register of the sources
//! above, named as the services name it; a canonical form written as one
//! word (`maisonrepos`) keeps a concept one term. Related concepts stay
//! apart (career and pension, cash register and payment). Words with a
//! second common meaning in one of the languages are left out (German
//! "Lager", French "parc", "traitement", "intégration", "ticket"), and so
//! are forms that digits or stop words would shrink to one common word
//! ("article 60" would be "article": the tokenizer drops numbers).

/// The competences and services of local authorities (see module doc).
pub(crate) const DOMAIN: &str = r#"
# --- Council, college and general administration (RGCC 100-139; BBC 0100-0130)
secretariat = fr: secretariat communal, secretariat general | nl: secretariaat | de: sekretariat, gemeindesekretariat | en: secretariat
conseiller = fr: conseiller communal, conseillers communaux, conseillere communale | nl: gemeenteraadslid, gemeenteraadsleden, raadslid, raadsleden | de: gemeinderatsmitglied, ratsmitglied, ratsmitglieder | en: councillor, councillors
election = fr: elections, electoral, electorale, scrutin | nl: verkiezing, verkiezingen, kiezer, kiezers, kiezerslijst | de: wahl, wahlen, wahler, wahlerliste, wahlerverzeichnis | en: election, elections, voter, electoral roll
reglement = fr: reglement communal, reglements, ordonnance de police | nl: reglement, verordening, politieverordening, politiereglement | de: satzung, verordnung, polizeiverordnung | en: regulation, bylaw, bylaws
juridique = fr: service juridique, contentieux, avocat, avocats, litige | nl: juridische dienst, geschil, advocaat, advocaten | de: rechtsabteilung, rechtsstreit, anwalt, rechtsanwalt | en: legal department, litigation, lawyer
assurance = fr: assurances, sinistre, sinistres | nl: verzekering, verzekeringen, schadegeval | de: versicherung, versicherungen, schadensfall | en: insurance, claim
communication = nl: communicatie | de: kommunikation, offentlichkeitsarbeit | en: communication, public relations
journalcommunal = fr: bulletin communal, journal communal, magazine communal, lettre d'information, newsletter | nl: infoblad, gemeenteblad, nieuwsbrief | de: gemeindeblatt, mitteilungsblatt, newsletter | en: newsletter, municipal magazine
reseauxsociaux = fr: reseaux sociaux, medias sociaux | nl: sociale media, sociale netwerken | de: soziale medien, soziale netzwerke | en: social media, social network
participationcitoyenne = fr: participation citoyenne, budget participatif, consultation citoyenne | nl: burgerparticipatie, inspraak, participatief budget | de: burgerbeteiligung, burgerhaushalt | en: citizen participation, participatory budget
plainte = fr: plaintes, reclamation, reclamations, doleance | nl: klacht, klachten, klachtenbehandeling | de: beschwerde, beschwerden, reklamation | en: complaint, complaints
mediateur = fr: mediation, mediatrice, ombudsman | nl: ombudsdienst, ombudsman, bemiddeling | de: ombudsmann, ombudsdienst, schlichtung | en: ombudsman, mediation
intercommunale = nl: intergemeentelijk, intergemeentelijke vereniging, samenwerkingsverband | de: interkommunal, zweckverband | en: intermunicipal
regie = fr: regie communale autonome, rca | nl: autonoom gemeentebedrijf, agb | de: autonome gemeinderegie | en: municipal company
fabriqueeglise = fr: fabrique d'eglise, fabriques d'eglise, culte, cultes | nl: kerkfabriek, kerkfabrieken, eredienst, erediensten | de: kirchenfabrik, kirchenfabriken, kultus | en: church council, worship

# --- Mail, records and archives (support services)
courrierentrant = fr: courrier entrant, courrier sortant, enregistrement du courrier | nl: inkomende post, uitgaande post, postregistratie | de: posteingang, postausgang, posterfassung | en: incoming mail, mail registry
classement = fr: classer, plan de classement | nl: klassement, ordening, klasseerplan | de: ablage, aktenplan, ablageplan | en: filing, filing plan
scan = fr: scanner, scanning, scans | nl: scannen, inscannen | de: scannen, einscannen | en: scanning
dureeconservation = fr: delai de conservation, delais de conservation, duree de conservation, tableau de tri | nl: bewaartermijn, selectielijst, vernietiging | de: aufbewahrungsfrist, aufbewahrung, vernichtung | en: retention, retention schedule
transparence = fr: publicite de l'administration, acces aux documents administratifs | nl: openbaarheid van bestuur, openbaarheid | de: offentlichkeit der verwaltung, informationsfreiheit | en: freedom of information, transparency

# --- Public procurement (support services)
cahiercharges = fr: cahier des charges, cahier special des charges, csc | nl: bestek, lastenboek | de: lastenheft, pflichtenheft, leistungsverzeichnis | en: specifications, tender specifications, terms of reference
soumission = fr: soumissionnaire, soumissionnaires, appel d'offres | nl: inschrijver, inschrijvers, aanbesteding, offerteaanvraag | de: ausschreibung, bieter, vergabeverfahren | en: tender, tenders, bidder, call for tenders
offre = fr: offres, devis | nl: offerte, offertes, prijsofferte | de: angebot, angebote, kostenvoranschlag | en: quote, quotation, bid
attributionmarche = fr: adjudication, attribution du marche, attribution des marches | nl: gunning, gunnen, gunningsbeslissing | de: vergabe, zuschlag, auftragsvergabe | en: award, contract award
centralemarches = fr: centrale d'achat, centrale de marches, achats groupes, achat groupe | nl: aankoopcentrale, opdrachtencentrale, groepsaankoop | de: einkaufszentrale, sammelbestellung, sammeleinkauf | en: central purchasing, joint purchase, group purchase
economat = fr: fournitures, fournitures de bureau | nl: kantoorbenodigdheden, economaat | de: buromaterial, verbrauchsmaterial | en: office supplies

# --- Finance, budget, taxes, accounting, debts (RGCC 000-099; BBC 0010-0090)
modification budgetaire = fr: modifications budgetaires | nl: budgetwijziging, begrotingswijziging | de: haushaltsanderung | en: budget amendment
comptesannuels = fr: compte annuel, comptes annuels, compte de resultats | nl: jaarrekening, jaarrekeningen | de: jahresrechnung, jahresabschluss | en: annual accounts, financial statements
tresorerie = fr: tresor, liquidites | nl: thesaurie, kasbeheer | de: kassenbestand, liquiditat | en: treasury, cash management
emprunt = fr: emprunts, dette communale, endettement | nl: lening, leningen | de: darlehen, kredit, kredite, verschuldung | en: loan, loans
mandatpaiement = fr: mandat de paiement, mandats de paiement, ordonnancement | nl: betalingsopdracht, betalingsopdrachten | de: zahlungsanweisung, auszahlungsanordnung | en: payment order, payment orders
enrolementfiscal = fr: enrolement, enroler, avertissement extrait de role | nl: kohier, kohieren, aanslagbiljet | de: heberolle, steuerbescheid, veranlagung | en: tax roll, tax assessment
recouvrement = fr: recouvrer, recouvrement des creances | nl: invordering, invorderen | de: beitreibung, forderungseinzug, inkasso | en: debt collection, debt recovery
caisse = fr: caisses, caisse enregistreuse, point de vente | nl: kassa, kassas, kassasysteem | de: kasse, kassen, kassensystem, registrierkasse | en: cash register, till, point of sale, ^POS
amortissement = fr: amortissements | nl: afschrijving, afschrijvingen | de: abschreibung, abschreibungen | en: depreciation
additionnel = fr: centimes additionnels, precompte immobilier, additionnels | nl: opcentiemen, onroerende voorheffing, aanvullende personenbelasting | de: zuschlaghundertstel, immobiliensteuervorabzug | en: property tax, surtax
tarif = fr: tarifs, tarification, prix | nl: tarief, tarieven, prijs, prijzen | de: tarif, tarife, preis, preise | en: tariff, price, prices, pricing

# --- Human resources and payroll (support services)
carriere = fr: carrieres, reconstitution de carriere | nl: loopbaan, loopbanen | de: laufbahn, berufslaufbahn | en: career, careers
pension = fr: pensions, retraite | nl: pensioen, pensioenen | de: pension, ruhestand, altersversorgung | en: pension, pensions, retirement
pointage = fr: badgeuse, pointeuse, enregistrement du temps, temps de travail, horaire variable | nl: tijdsregistratie, prikklok, arbeidstijd, glijdende werktijd | de: zeiterfassung, stempeluhr, arbeitszeit, gleitzeit | en: time tracking, time clock, working time, flexitime
maladie = fr: maladies, certificat medical, incapacite de travail | nl: ziekte, ziekteverlof, ziekmelding, arbeidsongeschiktheid | de: krankheit, krankmeldung, arbeitsunfahigkeit, krankenstand | en: sickness, sick leave, illness
medecinetravail = fr: medecine du travail, surveillance de sante | nl: arbeidsgeneeskunde, arbeidsgeneesheer | de: arbeitsmedizin, betriebsarzt | en: occupational health
bienetretravail = fr: conseiller en prevention, sipp, securite au travail | nl: preventieadviseur, idpb, welzijn op het werk, arbeidsveiligheid | de: arbeitsschutz, arbeitssicherheit | en: occupational safety, health and safety at work
accidenttravail = fr: accident du travail, accidents du travail | nl: arbeidsongeval, arbeidsongevallen | de: arbeitsunfall, arbeitsunfalle | en: workplace accident, accident at work
teletravail = fr: travail a domicile | nl: telewerk, thuiswerk | de: telearbeit, homeoffice | en: telework, remote work, working from home
descriptionfonction = fr: description de fonction, profil de fonction, fiche de poste | nl: functiebeschrijving, functieprofiel | de: stellenbeschreibung, stellenprofil | en: job description, job profile
organigramme = fr: cadre du personnel, organigrammes | nl: personeelsformatie, organogram | de: stellenplan, organigramm | en: staff establishment, organisation chart, organization chart
competence = fr: competences, talents | nl: competentie, competenties, vaardigheden | de: kompetenz, kompetenzen, fahigkeiten | en: skills, competencies
etudiant = fr: etudiants, job etudiant, jobs etudiants | nl: student, studenten, jobstudent, studentenjob | de: student, studenten, studentenjob, ferienjob | en: student, students, student job
stage = fr: stagiaire, stagiaires | nl: stage, stagiair, stagiairs | de: praktikum, praktikant, praktikanten | en: internship, intern, trainee
benevole = fr: benevoles, benevolat, volontaire, volontaires, volontariat | nl: vrijwilliger, vrijwilligers, vrijwilligerswerk | de: ehrenamt, ehrenamtlich, freiwillige, freiwilligenarbeit | en: volunteer, volunteers, volunteering
cheque repas = fr: cheques repas, titres repas | nl: maaltijdcheque, maaltijdcheques | de: essensgutschein, mahlzeitschecks | en: meal voucher
fraisdeplacement = fr: frais de deplacement, indemnite kilometrique, note de frais, notes de frais | nl: verplaatsingskosten, kilometervergoeding, onkostennota, onkostenvergoeding | de: reisekosten, kilometergeld, spesen, spesenabrechnung | en: travel expenses, expense claim, mileage allowance
syndicat = fr: syndicats, organisations syndicales, concertation syndicale | nl: vakbond, vakbonden, syndicaal overleg | de: gewerkschaft, gewerkschaften, personalvertretung | en: trade union, union
entretienannuel = fr: entretien de fonctionnement, entretien annuel, entretien d'evaluation | nl: functioneringsgesprek, planningsgesprek | de: mitarbeitergesprach, jahresgesprach | en: performance review, appraisal interview

# --- Population, civil status, foreigners (RGCC 104; BBC 0130)
demenagement = fr: changement d'adresse, changement de domicile | nl: adreswijziging, verhuis, verhuizing | de: adressanderung, umzug, ummeldung | en: change of address, moving house
etranger = fr: etrangers, ressortissant etranger, ressortissants etrangers, service des etrangers | nl: vreemdeling, vreemdelingen, vreemdelingendienst | de: auslander, auslanderamt, auslanderbehorde | en: foreigner, foreigners, foreign nationals, immigration
sejour = fr: titre de sejour, titres de sejour, carte de sejour, droit de sejour | nl: verblijfsvergunning, verblijfskaart, verblijfsrecht | de: aufenthaltstitel, aufenthaltsgenehmigung, aufenthaltskarte | en: residence permit
nationalite = fr: naturalisation | nl: nationaliteit, naturalisatie | de: staatsangehorigkeit, einburgerung | en: nationality, naturalisation, citizenship
casierjudiciaire = fr: casier judiciaire, extrait de casier judiciaire, certificat de bonne vie et moeurs | nl: strafregister, uittreksel uit het strafregister, bewijs van goed gedrag en zeden | de: strafregisterauszug, fuhrungszeugnis, leumundszeugnis | en: criminal record
cohabitation = fr: cohabitation legale | nl: wettelijke samenwoning, samenwoning | de: gesetzliches zusammenwohnen, zusammenwohnen | en: legal cohabitation
divorce = nl: echtscheiding | de: scheidung, ehescheidung | en: divorce
acte = fr: actes | nl: akte, akten | de: urkunde, urkunden | en: civil status record
legalisation = fr: copie conforme, legaliser | nl: legalisatie, eensluidend afschrift | de: beglaubigung, legalisierung | en: legalisation, certified copy
donorganes = fr: don d'organes, donneur d'organes, derniere volonte, euthanasie | nl: orgaandonatie, wilsverklaring, laatste wilsbeschikking | de: organspende, patientenverfugung | en: organ donation, advance directive
funerailles = fr: obseques, inhumation, inhumations, cremation, enterrement, pompes funebres | nl: begrafenis, begrafenissen, uitvaart, crematie, lijkbezorging | de: beerdigung, bestattung, bestattungen, einascherung, beisetzung | en: funeral, funerals, cremation, interment
columbarium = fr: cavurne, dispersion des cendres | nl: urnenveld, urnenmuur, strooiweide | de: kolumbarium, urnenwand, urnengrab | en: urn wall
recensement = fr: recenser | nl: volkstelling | de: volkszahlung | en: census

# --- Police, rescue and safety (RGCC 330-399; BBC 0400-0490)
ordrepublic = fr: ordre public, securite publique | nl: openbare orde | de: offentliche ordnung | en: public order
planurgence = fr: plan d'urgence, planification d'urgence, plan particulier d'urgence, ppui, planu | nl: noodplanning, noodplan, rampenplan, nood en interventieplan | de: notfallplanung, notfallplan, katastrophenschutz | en: emergency planning, emergency plan, contingency plan
incendie = fr: incendies, prevention incendie, securite incendie | nl: brandpreventie, brandveiligheid | de: brandschutz, feuer | en: fire, fire safety, fire prevention
ambulance = fr: ambulances, aide medicale urgente, ambulancier | nl: ziekenwagen, ambulancier, dringende geneeskundige hulpverlening | de: rettungswagen, rettungsdienst, krankenwagen | en: ambulance, ambulances, emergency medical service
agentquartier = fr: agent de quartier, agents de quartier, inspecteur de quartier | nl: wijkagent, wijkagenten, wijkinspecteur | de: bezirksbeamter, kontaktbeamter | en: community police officer
gardienpaix = fr: gardien de la paix, gardiens de la paix, steward | nl: gemeenschapswacht, gemeenschapswachten | de: ordnungsdienst, gemeindewache | en: community warden, street warden
infraction = fr: infractions, contravention, contraventions, amende, amendes | nl: overtreding, overtredingen, inbreuk, inbreuken, boete, boetes | de: verstoss, ordnungswidrigkeit, bussgeld, strafzettel | en: offence, offences, fine, fines, infringement
circulation = fr: circulation routiere, trafic, code de la route | nl: verkeer, verkeersveiligheid, verkeersplan | de: verkehr, strassenverkehr, verkehrssicherheit | en: traffic, road safety
vitesse = fr: controle de vitesse, excès de vitesse, radar, radars | nl: snelheid, snelheidscontrole, snelheidsmeting, flitspaal, flitscamera | de: geschwindigkeit, geschwindigkeitskontrolle, geschwindigkeitsmessung, blitzer | en: speed, speeding, speed camera
stationnement = fr: parking, parkings | nl: parkeren, parkeerbeleid, parkeerplaats, parkeerplaatsen | de: parken, parkplatz, parkplatze, parkraum | en: parking, car park
preventioncriminalite = fr: prevention de la criminalite, plan strategique de securite et de prevention | nl: criminaliteitspreventie | de: kriminalpravention, kriminalitatsvorbeugung | en: crime prevention
victime = fr: victimes, aide aux victimes | nl: slachtoffer, slachtofferhulp, slachtofferbejegening | de: opfer, opferhilfe | en: victim, victim support
violence = fr: violences, violence intrafamiliale, harcelement | nl: geweld, intrafamiliaal geweld, pesten | de: gewalt, hausliche gewalt, mobbing | en: violence, domestic violence, harassment
drogue = fr: drogues, assuetudes, toxicomanie | nl: drugs, drugsbeleid, verslaving | de: drogen, sucht, suchtpravention | en: drugs, addiction
bienetreanimal = fr: protection animale, protection des animaux | nl: dierenwelzijn, dierenbescherming | de: tierschutz, tierwohl | en: animal welfare
nuisible = fr: nuisibles, deratisation, desinsectisation | nl: ongedierte, ongediertebestrijding, rattenbestrijding, plaagdieren | de: schadlinge, schadlingsbekampfung, rattenbekampfung | en: pests, pest control, vermin

# --- Roads, works, water (RGCC 420-499; BBC 0200-0310)
trottoir = fr: trottoirs, accotement, accotements | nl: voetpad, voetpaden, stoep, stoepen | de: gehweg, gehwege, burgersteig | en: pavement, sidewalk, footway
egouttage = fr: egout, egouts, assainissement, eaux usees, avaloir, avaloirs | nl: riolering, riool, rioleringen, afvalwater, straatkolk | de: kanalisation, abwasser, abwasserkanal | en: sewer, sewerage, sewers, wastewater
eaupotable = fr: eau potable, distribution d'eau, reseau de distribution d'eau | nl: drinkwater, waterleiding, watervoorziening | de: trinkwasser, wasserversorgung, wasserleitung | en: drinking water, water supply
inondation = fr: inondations, coulee de boue, coulees de boue, crue | nl: overstroming, overstromingen, wateroverlast | de: hochwasser, uberschwemmung, uberschwemmungen | en: flood, floods, flooding
coursdeau = fr: cours d'eau, ruisseau, ruisseaux, riviere, rivieres | nl: waterloop, waterlopen, beek, beken, rivier | de: wasserlauf, gewasser, bach, fluss | en: watercourse, stream, river
signalisation = fr: signalisation routiere, panneau de signalisation, panneaux, marquage routier | nl: signalisatie, verkeersbord, verkeersborden, bewegwijzering, wegmarkering | de: beschilderung, verkehrszeichen, wegweiser, markierung, strassenmarkierung | en: signage, road sign, road signs, road marking
pont = fr: ponts, ouvrage d'art, ouvrages d'art | nl: brug, bruggen | de: brucke, brucken | en: bridge, bridges
deneigement = fr: salage, service d'hiver, viabilite hivernale | nl: sneeuwruiming, strooidienst, winterdienst, gladheidsbestrijding | de: winterdienst, schneeraumung, streudienst | en: winter maintenance, gritting, snow clearing
mobilierurbain = fr: mobilier urbain, banc public, bancs publics | nl: straatmeubilair | de: stadtmobiliar, stadtmobel | en: street furniture
servicetechnique = fr: service technique, services techniques, ouvriers communaux, atelier communal, depot communal | nl: technische dienst, uitvoeringsdienst, gemeentelijke werkplaats | de: bauhof, technischer dienst | en: public works department, council depot
bontravail = fr: bon de travail, bons de travail, ordre de travail, ordres de travail, demande d'intervention | nl: werkbon, werkbonnen, werkorder, werkopdracht | de: arbeitsauftrag, arbeitsauftrage, werkauftrag | en: work order, work orders
impetrant = fr: impetrants, concessionnaire de reseau, concessionnaires de reseaux | nl: nutsbedrijf, nutsbedrijven, nutsmaatschappij, nutswerken, nutsleiding, nutsleidingen | de: versorgungsunternehmen, versorgungsleitung, versorgungsleitungen, leitungsbetreiber | en: utility company, utility works, utilities
domainepublic = fr: domaine public, espace public, espaces publics, voie publique | nl: openbaar domein, publieke ruimte, openbare ruimte, openbare weg | de: offentlicher raum, offentliche flache, offentliche strasse | en: public space, public domain, public highway
investissement = fr: investissements, plan d'investissement | nl: investering, investeringen, investeringsplan, meerjarenplan | de: investition, investitionen, investitionsplan | en: investment, investments, capital plan
revetement = fr: asphalte, refection de voirie | nl: wegdek, asfalt, herasfaltering | de: fahrbahnbelag, asphalt, strassenbelag | en: road surface, asphalt, resurfacing

# --- Mobility and transport (RGCC 410-439; BBC 0200-0290)
transportpublic = fr: transport en commun, transports en commun, tec, bus, arret de bus | nl: openbaar vervoer, bushalte | de: offentlicher nahverkehr, offentliche verkehrsmittel, bushaltestelle | en: public transport, bus stop
covoiturage = fr: voiture partagee, voitures partagees, autopartage | nl: carpool, carpoolen, autodelen, deelauto | de: fahrgemeinschaft, carsharing | en: carpooling, car sharing
mobilitedouce = fr: mobilite douce, pietons, pieton, modes actifs | nl: zachte mobiliteit, voetgangers, actieve mobiliteit | de: sanfte mobilitat, fussganger | en: active travel, pedestrians, soft mobility
taxisocial = fr: taxi social, transport social | nl: mindermobielencentrale | de: burgerbus, sozialtaxi | en: dial a ride, community transport

# --- Local economy, trade, agriculture (RGCC 500-699; BBC 0500-0590)
economie = fr: economie locale, developpement economique, adl, agence de developpement local | nl: lokale economie, economische ontwikkeling, economisch beleid | de: wirtschaftsforderung, lokale wirtschaft, wirtschaft | en: local economy, economic development
marchehebdo = fr: marche hebdomadaire, marches hebdomadaires | nl: weekmarkt, weekmarkten, wekelijkse markt | de: wochenmarkt, wochenmarkte | en: weekly market, street market
ambulant = fr: commerce ambulant, ambulants, marchand ambulant | nl: ambulante handel, ambulante handelaar | de: ambulanter handel, reisegewerbe | en: street trading, street trader
foire = fr: foires, kermesse, fete foraine, forains | nl: kermis, kermissen, jaarmarkt, foor | de: kirmes, jahrmarkt, kirmesse | en: funfair, fair
horeca = fr: debit de boissons, debits de boissons, etablissement horeca | nl: horeca, drankgelegenheid, drankvergunning | de: gaststatte, gaststatten, gastronomie, schankerlaubnis | en: hospitality, licensed premises
agriculture = fr: agricole, agriculteur, agriculteurs, exploitation agricole, calamites agricoles | nl: landbouw, landbouwer, landbouwers, landbouwbedrijf | de: landwirtschaft, landwirt, landwirte, landwirtschaftlich | en: agriculture, agricultural, farmer, farmers, farming
independant = fr: independants, pme, entrepreneur, entrepreneurs, indépendants | nl: zelfstandige, zelfstandigen, kmo, ondernemer, ondernemers | de: selbststandige, selbstandige, kmu | en: self employed, sme, smes, entrepreneur

# --- Education (RGCC 700-739; BBC 0800-0890)
fondamental = fr: enseignement fondamental, ecole fondamentale, ecoles fondamentales, maternelle, maternel, primaire | nl: basisonderwijs, basisschool, basisscholen, kleuteronderwijs, kleuterschool, lager onderwijs | de: grundschule, grundschulen, primarschule, primarschulen, kindergarten | en: primary school, primary education, nursery school
secondaire = fr: enseignement secondaire, ecole secondaire, athenee, lycee | nl: secundair onderwijs, secundaire school | de: sekundarschule, sekundarunterricht | en: secondary school, secondary education
academie = fr: academies, enseignement artistique, academie de musique, conservatoire | nl: academie, deeltijds kunstonderwijs, muziekacademie, kunstacademie | de: musikakademie, musikschule, kunstschule | en: music school, arts academy
cantine = fr: cantines, repas scolaires, restaurant scolaire, refectoire | nl: schoolmaaltijden, refter, schoolrestaurant | de: mensa, schulverpflegung, schulkantine | en: school meals, canteen, school canteen
transportscolaire = fr: transport scolaire, ramassage scolaire, bus scolaire | nl: leerlingenvervoer, schoolbus | de: schulbus, schulertransport, schulerbeforderung | en: school bus, school transport
presence = fr: presences | nl: aanwezigheid, aanwezigheden | de: anwesenheit | en: attendance
ecoledevoirs = fr: ecole de devoirs, ecoles de devoirs, soutien scolaire | nl: huiswerkbegeleiding, huiswerkklas | de: hausaufgabenhilfe, hausaufgabenschule, nachhilfe | en: homework club, tutoring
directionecole = fr: directeur d'ecole, direction d'ecole, directrice d'ecole | nl: schooldirecteur, schooldirectie | de: schulleiter, schulleiterin, schulleitung | en: head teacher, headteacher, school principal
pouvoirorganisateur = fr: reseau officiel subventionne, cecp | nl: schoolbestuur, inrichtende macht, ovsg | de: schultrager | en: school board

# --- Childhood, youth, sport, culture, tourism (RGCC 740-799; BBC 0700-0790, 0945)
accueiltempslibre = fr: accueil temps libre, atl, accueil du mercredi | nl: vrijetijdsopvang | de: freizeitbetreuung | en: out of school activities
plainevacances = fr: plaines de vacances, plaine de vacances, centre de vacances, activites de vacances | nl: speelpleinwerking, speelplein, vakantiewerking | de: ferienspiele, ferienbetreuung, ferienangebot | en: holiday play scheme, holiday club
mouvementjeunesse = fr: mouvement de jeunesse, mouvements de jeunesse, scouts, patro | nl: jeugdbeweging, jeugdbewegingen, scouts, chiro | de: jugendbewegung, jugendbewegungen, pfadfinder | en: youth movement, youth organisations, scouts
maisonjeunes = fr: maison de jeunes, maisons de jeunes | nl: jeugdhuis, jeugdhuizen, jeugdcentrum | de: jugendheim, jugendtreff, jugendzentrum | en: youth centre, youth center, youth club
airejeux = fr: aire de jeux, aires de jeux | nl: speeltuin, speelterrein | de: spielplatz, spielplatze | en: playground, playgrounds
infrasport = fr: hall omnisports, salle de sport, centre sportif, complexe sportif, infrastructure sportive, terrain de sport | nl: sporthal, sporthallen, sportcentrum, sportinfrastructuur, sportterrein | de: sporthalle, sportzentrum, sportanlage, sportplatz | en: sports hall, sports centre, sports facility
piscine = fr: piscines, natation | nl: zwembad, zwembaden | de: schwimmbad, hallenbad, freibad | en: swimming pool, swimming
club = fr: clubs, club sportif, clubs sportifs | nl: sportclub, sportclubs, sportvereniging | de: sportverein, sportvereine | en: sports club, sports clubs
centreculturel = fr: centre culturel, centres culturels | nl: cultuurcentrum, gemeenschapscentrum, cultuurhuis | de: kulturzentrum, kulturhaus | en: cultural centre, community centre
musee = fr: musees, museal | nl: museum, musea | de: museum, museen | en: museum, museums
collection = fr: collections, oeuvre d'art, oeuvres d'art | nl: collectie, collecties | de: sammlung, sammlungen, exponate | en: collection, collections, artwork, artworks
monument = fr: monuments, patrimoine classe, site classe, petit patrimoine | nl: erfgoed, onroerend erfgoed, monumenten, beschermd monument | de: denkmal, denkmaler, denkmalschutz, kulturerbe | en: heritage, monuments, listed building
spectacle = fr: spectacles, billetterie, salle de spectacle, theatre, concert, concerts | nl: voorstelling, voorstellingen, ticketverkoop, theater, concert | de: vorstellung, eintrittskarten, ticketverkauf, theater, konzert | en: box office, ticket sales, theatre, concert
pret = fr: prets, emprunteur, emprunteurs | nl: uitlening, uitleningen, ontlening, uitlenen, ontlenen | de: ausleihe, ausleihen, verleih | en: lending, borrower, borrowers
location = fr: louer, mise en location | nl: verhuur, verhuren, verhuring | de: vermietung, vermieten | en: rental, rent out
jumelage = fr: jumelages, ville jumelle | nl: stedenband, zusterstad, jumelage | de: stadtepartnerschaft, partnerstadt, partnergemeinde | en: twinning, twin town
ceremonie = fr: ceremonies, celebration, celebrations, fetes et ceremonies, festivites, fete | nl: plechtigheid, plechtigheden, viering, vieringen, feest, feesten | de: zeremonie, zeremonien, feier, feiern, feierlichkeit, festakt | en: ceremony, ceremonies, celebration, celebrations
officetourisme = fr: office du tourisme, syndicat d'initiative, maison du tourisme | nl: toeristische dienst, toerismebureau, toeristisch infokantoor | de: verkehrsverein, verkehrsamt, touristeninformation | en: tourist office, tourist information
promenade = fr: promenades, randonnee, randonnees, sentier, sentiers, promeneur, promeneurs | nl: wandeling, wandelingen, wandelroute, wandelroutes, wandelpad, wandelpaden, wandelaar, wandelaars | de: wanderweg, wanderwege, wanderung, wanderer, spazierweg | en: hiking, walking route, footpath, walkers, hikers
logementtouristique = fr: hebergement touristique, hebergements touristiques, gite, gites, camping, campings | nl: logies, vakantiewoning, kampeerterrein | de: ferienwohnung, campingplatz, ferienunterkunft | en: holiday accommodation, holiday home, campsite

# --- Social aid and the CPAS (RGCC 800-849; BBC 0900-0959; organic law of 8 July 1976)
enquetesociale = fr: enquete sociale, enquetes sociales, rapport social | nl: sociaal onderzoek, sociaal verslag | de: sozialbericht, sozialuntersuchung | en: social inquiry, social report
projetindividualise = fr: projet individualise d'integration sociale, piis | nl: gpmi, geindividualiseerd project voor maatschappelijke integratie | de: individualisiertes projekt zur sozialen eingliederung | en: individual integration plan
insertion = fr: insertion socioprofessionnelle, reinsertion, service insertion | nl: activering, trajectbegeleiding, socioprofessionele inschakeling | de: eingliederung, soziale eingliederung, berufliche eingliederung | en: activation, job integration, back to work
mediationdettes = fr: mediation de dettes, guidance budgetaire, surendettement, reglement collectif de dettes | nl: schuldbemiddeling, schuldhulpverlening, budgetbegeleiding, collectieve schuldenregeling | de: schuldnerberatung, schuldenberatung, budgetbegleitung | en: debt advice, debt counselling, budget counselling
energiesociale = fr: fonds energie, fonds gaz electricite, compteur a budget, guidance energetique | nl: budgetmeter, energiearmoede, sociaal tarief | de: energiearmut, budgetzahler | en: fuel poverty, energy poverty, prepayment meter
fondschauffage = fr: fonds social chauffage, allocation de chauffage, allocation chauffage | nl: sociaal verwarmingsfonds, verwarmingstoelage | de: heizkostenzuschuss | en: heating allowance
aidemedicale = fr: aide medicale, carte medicale, frais medicaux, requisitoire, medicaments | nl: medische kaart, medische kosten, medische hulp | de: medizinische hilfe, arztkosten, medikamente | en: medical aid, medical costs
asile = fr: demandeur d'asile, demandeurs d'asile, fedasil, refugie, refugies | nl: asielzoeker, asielzoekers, vluchteling, vluchtelingen, asiel | de: asylbewerber, asylsuchende, fluchtling, fluchtlinge, asyl | en: asylum seeker, asylum seekers, refugee, refugees, asylum
ila = fr: initiative locale d'accueil, ila | nl: lokaal opvanginitiatief, ^LOI | de: lokale aufnahmeinitiative | en: local reception initiative
aidefamiliale = fr: aide familiale, aides familiales, aide menagere, aides menageres, aide a domicile, aides a domicile, maintien a domicile | nl: gezinszorg, thuiszorg, poetsdienst, thuishulp | de: familienhilfe, hauspflege, haushaltshilfe, hauswirtschaftshilfe | en: home help, home care, domestic help
repasdomicile = fr: repas a domicile, portage de repas, distribution de repas | nl: maaltijden aan huis, warme maaltijden, maaltijdbedeling | de: essen auf radern, mahlzeitendienst | en: meals on wheels, meal delivery, home delivered meals
televigilance = fr: teleassistance, tele assistance, telealarme, bouton d'appel | nl: personenalarm, personenalarmering, noodoproep | de: hausnotruf, notrufsystem, notrufknopf | en: personal alarm, telecare, emergency call button
maisonrepos = fr: maison de repos, maisons de repos, maison de repos et de soins, mr mrs, maison de retraite | nl: woonzorgcentrum, woonzorgcentra, rusthuis, rusthuizen, wzc | de: seniorenheim, altenheim, altenheime, pflegeheim, seniorenresidenz | en: care home, nursing home, retirement home, residential care
residenceservice = fr: residence services, residences services | nl: assistentiewoning, assistentiewoningen, serviceflat, serviceflats | de: betreutes wohnen | en: sheltered housing, assisted living
centrejour = fr: centre de jour, centre d'accueil de jour, centre de soins de jour | nl: dagverzorgingscentrum, dagcentrum | de: tagespflege, tagesstatte | en: day care centre, day centre
soins = fr: soin, soignant, soignants, infirmier, infirmiere, infirmiers, dossier de soins | nl: zorg, verzorging, verpleging, zorgverlener, verpleegkundige, zorgdossier | de: pflege, pflegekraft, pflegekrafte, pflegedokumentation, krankenpfleger | en: care, nursing, nurse, nurses, care record
logementurgence = fr: logement d'urgence, hebergement d'urgence, logement de transit, logements d'insertion, abri de nuit | nl: noodwoning, transitwoning, nachtopvang | de: notunterkunft, ubergangswohnung, obdachlosenunterkunft | en: emergency housing, transitional housing, night shelter
sansabri = fr: sans abri, sans domicile fixe, sdf, sans abrisme | nl: dakloos, daklozen, thuisloos, thuislozen | de: obdachlos, obdachlose, wohnungslos | en: homeless, homelessness, rough sleeper
epiceriesociale = fr: epicerie sociale, colis alimentaires, aide alimentaire, banque alimentaire | nl: sociale kruidenier, voedselbank, voedselhulp, voedselpakket | de: sozialladen, lebensmittelhilfe | en: food bank, food aid, food parcel
titresservices = fr: titres services, titre service | nl: dienstencheques, dienstencheque | de: dienstleistungsschecks | en: service vouchers
pauvrete = fr: precarite, exclusion sociale, pauvre | nl: armoede, kansarmoede | de: armut | en: poverty, deprivation
parcoursintegration = fr: parcours d'integration, primo arrivant, primo arrivants | nl: inburgering, inburgeringstraject, nieuwkomers | de: integrationsparcours, integrationskurs | en: integration programme, newcomers
sante = fr: sante publique, promotion de la sante, vaccination, depistage | nl: gezondheid, volksgezondheid, vaccinatie | de: gesundheit, gesundheitsforderung, impfung | en: health, public health, vaccination
santementale = fr: sante mentale, psychologue, psychologique | nl: geestelijke gezondheid, psycholoog | de: psychische gesundheit, psychologe | en: mental health, psychologist

# --- Housing and urbanism (RGCC 900-939; BBC 0600-0629)
logementsocial = fr: logement social, logements sociaux, societe de logement, agence immobiliere sociale, ais | nl: sociale woning, sociale woningen, sociale huisvesting, sociaal verhuurkantoor, svk | de: sozialwohnung, sozialwohnungen, sozialer wohnungsbau | en: social housing, council housing
salubrite = fr: insalubrite, logement insalubre, permis de location, taudis | nl: woningkwaliteit, verkrotting, ongeschiktheid, onbewoonbaarheid, conformiteitsattest | de: wohnungsqualitat, unbewohnbarkeit, verwahrlosung | en: unfit housing, housing standards
inoccupation = fr: logement inoccupe, logements inoccupes, immeuble inoccupe, immeubles inoccupes, batiment inoccupe | nl: leegstand, leegstaand, leegstaande woningen | de: leerstand, leerstehend | en: empty homes, vacant property
permisenvironnement = fr: permis d'environnement, permis unique, declaration environnementale | nl: milieuvergunning, milieumelding | de: umweltgenehmigung | en: environmental permit
cadastre = fr: parcelle, parcelles, cadastral, plan cadastral, matrice cadastrale | nl: kadaster, perceel, percelen, kadastraal | de: kataster, parzelle, parzellen, flurstuck, grundbuch | en: cadastre, land registry, parcel, parcels
notaire = fr: notaires, notarial, notariaux | nl: notaris, notarissen | de: notar, notare | en: notary, notaries
renseignementurbanistique = fr: renseignements urbanistiques, renseignement urbanistique, informations urbanistiques, lettre notariale | nl: stedenbouwkundige inlichtingen, vastgoedinformatie, stedenbouwkundig uittreksel | de: stadtebauliche auskunft, stadtebauliche auskunfte | en: planning information, property search
plansecteur = fr: plan de secteur, schema de developpement communal, guide communal d'urbanisme, zonage, affectation du sol | nl: gewestplan, bestemmingsplan, ruimtelijk uitvoeringsplan, rup, ruimtelijk structuurplan | de: sektorenplan, flachennutzungsplan, bebauungsplan | en: zoning plan, land use plan, local plan
enquetepublique = fr: enquete publique, enquetes publiques, consultation publique, avis d'enquete | nl: openbaar onderzoek, openbare onderzoeken | de: offentliche untersuchung, offentliche auslegung | en: public inquiry, public consultation
lotissement = fr: lotissements, permis d'urbanisation, division parcellaire | nl: verkaveling, verkavelingen, verkavelingsvergunning | de: parzellierung, bauland | en: subdivision, land subdivision
infractionurbanistique = fr: infraction urbanistique, infractions urbanistiques | nl: bouwovertreding, stedenbouwkundig misdrijf, stedenbouwkundige inbreuk | de: baurechtsverstoss | en: planning breach, planning enforcement
renovation = fr: renovations | nl: renovatie, renovaties | de: sanierung, renovierung | en: renovation, retrofit
peb = fr: certificat peb, performance energetique | nl: epc, energieprestatie, energieprestatiecertificaat | de: energieausweis | en: energy performance certificate
renovationurbaine = fr: renovation urbaine, revitalisation urbaine, renovation rurale, pcdr, developpement rural | nl: stadsvernieuwing, plattelandsontwikkeling | de: stadterneuerung, dorferneuerung, landliche entwicklung | en: urban regeneration, rural development
adresse = fr: adresses, numerotation, adressage, nom de rue, noms de rue | nl: adres, adressen, huisnummer, huisnummering, straatnaam, straatnamen | de: adresse, adressen, hausnummer, strassenname | en: address, addresses, house number, street name

# --- Environment, cleanliness, waste (RGCC 870-879; BBC 0300-0390)
proprete = fr: proprete publique, balayage, nettoyage des voiries, balayeuse | nl: netheid, straatvegen, veegdienst, straatreiniging | de: sauberkeit, strassenreinigung, kehrmaschine | en: cleanliness, street cleaning, street sweeping
depotclandestin = fr: depot clandestin, depots clandestins, depots sauvages, dechets sauvages | nl: sluikstort, sluikstorten, zwerfvuil, zwerfafval | de: illegale mullablagerung, wilde mullkippe, littering | en: fly tipping, illegal dumping, litter
collectedechets = fr: collecte des dechets, ramassage des dechets, collecte des immondices, conteneur, conteneurs, poubelle, poubelles, sacs poubelles | nl: ophaling, huisvuilophaling, afvalophaling, vuilniszak, vuilniszakken, afvalcontainer | de: abfuhr, mullabfuhr, abfallabfuhr, mulltonne, mulltonnen, abfallbehalter | en: waste collection, bin collection, bins, wheelie bin
recyclage = fr: tri selectif, tri des dechets, pmc, compost, compostage, economie circulaire | nl: recyclage, recycling, afvalsortering, pmd, compost, composteren, circulaire economie | de: recycling, mulltrennung, wertstoffe, kompost, kreislaufwirtschaft | en: recycling, compost, composting, circular economy
nature = fr: biodiversite, natura, reserve naturelle, pcdn | nl: natuur, biodiversiteit, natuurgebied, natuurbeheer | de: natur, biodiversitat, naturschutz, naturschutzgebiet | en: nature, biodiversity, nature reserve
pollution = fr: pollutions, qualite de l'air, pollution du sol, sol pollue | nl: vervuiling, verontreiniging, luchtkwaliteit, bodemverontreiniging | de: verschmutzung, luftqualitat, bodenverunreinigung | en: pollution, air quality, soil contamination
bruit = fr: nuisances sonores, tapage | nl: geluid, geluidsoverlast, lawaai | de: larm, larmbelastung, ruhestorung | en: noise, noise nuisance
climat = fr: climatique, rechauffement climatique, plan climat | nl: klimaat, klimaatbeleid | de: klima, klimaschutz | en: climate, climate change
renouvelable = fr: energie renouvelable, energies renouvelables, photovoltaique, panneaux solaires, eolienne, eoliennes | nl: hernieuwbare energie, zonnepanelen, windturbine | de: erneuerbare energie, photovoltaik, solaranlage, windrad | en: renewable energy, solar panels, wind turbine
signalement = fr: signaler, signalements, signalement de probleme | nl: melding, meldingen, melden, meldpunt | de: meldung, meldungen, melden | en: issue reporting, report a problem

# --- Information technology (the usual IT of a local authority)
reseau = fr: reseaux, reseau informatique, lan, switch, switches, cablage | nl: netwerk, netwerken, bekabeling | de: netzwerk, netzwerke, verkabelung | en: network, networks, networking, cabling
serveur = fr: serveurs, salle serveur, datacenter, centre de donnees | nl: server, servers, serverruimte, datacenter | de: server, serverraum, rechenzentrum | en: server, servers, data centre, data center
virtualisation = fr: machine virtuelle, machines virtuelles, hyperviseur | nl: virtualisatie, virtuele machine | de: virtualisierung, virtuelle maschine | en: virtualisation, virtualization, virtual machine, hypervisor
cloud = fr: nuage, infonuagique, hebergement cloud | nl: cloud, clouddienst | de: cloud, clouddienst | en: cloud, cloud hosting, saas
sauvegarde = fr: sauvegardes, backup, backups, plan de continuite | nl: back up, backup, reservekopie | de: datensicherung, backup, wiederherstellung | en: backup, backups, restore, disaster recovery
motdepasse = fr: mot de passe, mots de passe, identifiant, identifiants | nl: wachtwoord, wachtwoorden, wachtwoordbeheer, wachtwoordkluis | de: passwort, passworter, kennwort, kennworter, passwortmanager, passwortverwaltung | en: password, passwords, credential, credentials, password manager, password vault
authentification = fr: authentifier, double authentification, ^MFA | nl: authenticatie, tweestapsverificatie, tweefactorauthenticatie | de: authentifizierung, zwei faktor authentifizierung | en: authentication, multi factor authentication, login
droitsacces = fr: droits d'acces, gestion des acces, gestion des identites, annuaire, active directory, compte utilisateur, comptes utilisateurs | nl: toegangsrechten, toegangsbeheer, identiteitsbeheer, gebruikersbeheer, gebruikersaccount | de: zugriffsrechte, berechtigungen, identitatsmanagement, benutzerverwaltung, benutzerkonto | en: access rights, access control, identity management, user accounts, directory
cybersecurite = fr: cyber securite, securite informatique, cyberattaque, ransomware, rancongiciel, antivirus, pare feu, firewall | nl: cyberveiligheid, cybersecurity, informatieveiligheid, cyberaanval, firewall | de: cybersicherheit, it sicherheit, informationssicherheit, cyberangriff, firewall, virenschutz | en: cybersecurity, cyber security, information security, cyberattack, antivirus, firewall
chiffrement = fr: cryptage, crypter | nl: versleuteling, versleutelen, encryptie | de: verschlusselung, verschlusseln | en: encryption, encrypt
postetravail = fr: poste de travail, postes de travail, ordinateur, ordinateurs, ordinateur portable, ordinateurs portables, laptop | nl: werkpost, werkposten, computer, computers, laptop, laptops | de: computer, rechner, laptop, laptops | en: workstation, workstations, computer, computers, laptop, laptops, desktop
mdm = *: mdm | fr: gestion des appareils mobiles, gestion de flotte mobile | nl: mobile device management, toestelbeheer | de: geratemanagement, mobilgeratemanagement, gerateverwaltung | en: mobile device management, device management
impression = fr: imprimante, imprimantes, impressions, photocopieur, photocopieurs, copieur, multifonction | nl: printer, printers, afdrukken, kopieertoestel, multifunctional | de: drucker, druck, kopierer, multifunktionsgerat | en: printer, printers, printing, copier, photocopier
messagerie = fr: boite mail, boites mail, messagerie electronique, outlook, webmail | nl: mailbox, mailsysteem | de: postfach, mailsystem | en: mailbox, email system, webmail
standardtelephonique = fr: voip, centrale telephonique, standard telephonique | nl: telefooncentrale, voip, ip telefonie | de: telefonanlage, voip, ip telefonie | en: voip, phone system, pbx, switchboard
visioconference = fr: visio, videoconference, reunion en ligne | nl: videoconferentie, videovergadering, videobellen | de: videokonferenz, videokonferenzen, onlinebesprechung | en: video conference, videoconferencing, online meeting
outilcollaboratif = fr: travail collaboratif, outil collaboratif, partage de fichiers, intranet, extranet | nl: intranet, bestanden delen | de: intranet, dateifreigabe | en: collaboration tool, intranet, file sharing
helpdesk = fr: support informatique, assistance informatique, ticketing, service desk informatique | nl: helpdesk, ict helpdesk, ticketsysteem | de: helpdesk, ticketsystem | en: helpdesk, help desk, ticketing
licencelogicielle = fr: licence, licences, logiciel libre, open source, code source | nl: licentie, licenties, opensource, broncode | de: lizenz, lizenzen, quelloffen, quellcode | en: software licence, software license, open source, source code
migration = fr: migrer, reprise des donnees, conversion des donnees | nl: migratie, migreren, dataconversie | de: migration, datenubernahme, datenmigration | en: migration, migrate, data migration
hebergement = fr: heberger, hebergeur | nl: hosting, hosten | de: hosting, hosten | en: hosting, host
eguichet = fr: guichet electronique, teleservice, teleservices, demarches en ligne, guichet en ligne | nl: digitaal loket, online loket | de: online schalter, digitales burgerburo, online dienste | en: online services, digital front desk
formulaireenligne = fr: formulaire electronique, formulaires electroniques, formulaire en ligne, formulaires en ligne | nl: elektronisch formulier, online formulier | de: elektronisches formular, online formular | en: online form, web form
geolocalisation = fr: geolocaliser, gps | nl: geolocatie, gps | de: geolokalisierung, gps | en: geolocation, gps
qr = fr: code qr, qr code, codes qr | nl: qr code | de: qr code | en: qr code
kiosque = fr: borne interactive, bornes interactives, kiosques | nl: kiosk, infozuil | de: kiosk, infoterminal | en: kiosk, kiosks
ecran = fr: ecrans, affichage dynamique, panneau d'affichage | nl: scherm, schermen, digitaal scherm | de: bildschirm, bildschirme, anzeigetafel | en: screen, screens, display, digital signage
"#;

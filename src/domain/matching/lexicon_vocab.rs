//! Generic administrative and IT vocabulary: Dutch, German and English words
//! mapped to a French canonical form, plus French spelling variants and
//! derivations that the stemmer does not join ("planifier"/"planning").
//! Same format as `lexicon_abbr`.
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

/// Cross-language vocabulary (see `lexicon_abbr` for the format).
pub(crate) const VOCABULARY: &str = r#"
commune = fr: ville, communal, communale, communaux, municipal, municipalite | nl: gemeente, stad, gemeentelijk, stedelijk, stadsbestuur, gemeentebestuur | de: gemeinde, stadt, kommunal, gemeindeverwaltung, stadtverwaltung | en: municipality, city
administration = nl: bestuur, overheid | de: behorde | en: government
citoyen = fr: habitant, habitants, population locale, usager | nl: burger, inwoner, bewoner, burgers | de: burger, einwohner, burgerin | en: citizen, resident
agent = fr: membre du personnel, employe, collaborateur, travailleur, travailleuse | nl: medewerker, personeelslid, werknemer | de: mitarbeiter, mitarbeiterin, bedienstete | en: employee, staff
personnel = nl: personeel | de: personal
service = nl: dienst, afdeling | de: dienst, abteilung, amt
logiciel = fr: progiciel, programme informatique, solution logicielle | nl: software, softwarepakket, programma | de: software, programm | en: software
outil = nl: tool | de: werkzeug, tool | en: tool
plateforme = nl: platform | de: plattform | en: platform
application = fr: applicatif | nl: toepassing, applicatie | de: anwendung, applikation
systeme = nl: systeem | de: system
base donnees = fr: banque de donnees | nl: databank, database, gegevensbank | de: datenbank | en: database
donnees = nl: gegevens, data | de: daten | en: data
donnees ouvertes = fr: open data, opendata | nl: open data, open gegevens | de: offene daten | en: open data
site web = fr: site internet | nl: website, webstek, internetsite | de: webseite, website, internetseite, internetauftritt | en: website, web site
web = fr: internet | en: internet
portail = nl: portaal | de: portal | en: portal
ligne = fr: online | nl: online | de: online | en: online
numerique = fr: digital, digitaliser, numeriser, digitalisation, numerisation, dematerialiser, dematerialise, dematerialisation, informatiser, informatise | nl: digitaal, digitaliseren, digitalisering | de: digital, digitalisieren, digitalisierung | en: digital
electronique = nl: elektronisch | de: elektronisch | en: electronic
papier = nl: papier, papieren | de: papier | en: paper
gestion = fr: gerer, gere | nl: beheer, beheren, beheersysteem | de: verwaltung, verwalten, management | en: management, manage
suivi = fr: suivre, monitoring, monitorer, surveillance, surveiller | nl: opvolging, opvolgen, volgen, monitoring, toezicht, bewaking | de: nachverfolgung, verfolgung, uberwachung, monitoring | en: follow up, tracking, monitoring, surveillance
planning = fr: planification, planifier, planifie | nl: planning, plannen, planner, rooster, dienstrooster | de: planung, planen, dienstplan, einsatzplanung, dienstplanung | en: scheduling, schedule
horaire = nl: uurrooster, openingsuren | de: stundenplan, offnungszeiten | en: timetable, opening hours
agenda = fr: calendrier | nl: agenda, kalender | de: kalender, terminkalender | en: calendar
rendez vous = *: rdv | nl: afspraak, afspraken | de: termin, termine, terminvereinbarung | en: appointment
reservation = fr: reserver | nl: reservatie, reservering, reserveren, boeking | de: reservierung, buchung, reservieren, buchen | en: booking
inscription = fr: inscrire, enregistrement des inscriptions | nl: inschrijving, inschrijven, aanmelding, aanmelden | de: anmeldung, anmelden, einschreibung, registrierung | en: enrolment, enrollment, sign up
demande = fr: demander, requete | nl: aanvraag, aanvragen, verzoek | de: antrag, antrage, anfrage, beantragen | en: request, application form
formulaire = nl: formulier, formulieren | de: formular, formulare | en: form
guichet = nl: loket | de: schalter, burgerburo | en: front desk, service desk
document = nl: document, documenten, stuk | de: dokument, dokumente, unterlagen
attestation = fr: attester | nl: attest, attesten | de: bescheinigung
certificat = nl: getuigschrift, certificaat | de: zertifikat | en: certificate
extrait = nl: uittreksel | de: auszug | en: extract
courrier = fr: correspondance | nl: briefwisseling, post | de: briefverkehr, post, schreiben
signature = fr: signer, signataire | nl: handtekening, ondertekening, ondertekenen | de: unterschrift, unterschreiben, signatur | en: signature, sign
archives = fr: archivage, archiver, archiviste | nl: archief, archivering, archiveren | de: archiv, archivierung, archivieren | en: archive, archiving
inventaire = fr: inventorier | nl: inventaris, inventarisatie | de: inventar, inventur, bestandsaufnahme | en: inventory
registre = nl: register | de: register | en: register, registry
enregistrer = fr: enregistrement | nl: registreren, registratie | de: registrieren, erfassen, erfassung | en: record
paiement = fr: payer, payant, paye | nl: betaling, betalen, betaald | de: zahlung, bezahlen, bezahlung | en: payment, pay
facture = fr: facturation, facturer | nl: factuur, facturatie, factureren | de: rechnung, fakturierung | en: invoice, billing
comptabilite = fr: comptable | nl: boekhouding | de: buchhaltung, buchfuhrung | en: accounting
budget = nl: budget, begroting | de: budget, haushaltsplan
finances = nl: financien | de: finanzen | en: finance
taxe = fr: impot, fiscalite | nl: belasting, belastingen | de: steuer, steuern | en: tax
redevance = fr: droit de place | nl: retributie | de: gebuhr, gebuhren | en: fee
subside = fr: subvention | nl: subsidie, toelage | de: zuschuss, subvention | en: grant, subsidy
prime = nl: premie | de: pramie
recette = nl: ontvangsten | de: einnahmen | en: revenue, receipts
fournisseur = nl: leverancier | de: lieferant | en: supplier
commande = fr: bon de commande | nl: bestelling, bestelbon | de: bestellung
stock = fr: magasin, inventaire du stock | nl: voorraad, magazijn | de: lagerbestand, lagerverwaltung
contrat = nl: contract, overeenkomst | de: vertrag | en: contract
recrutement = fr: recruter, embauche | nl: aanwerving, werving, rekrutering | de: einstellung, personalbeschaffung, rekrutierung | en: recruitment, hiring
candidature = fr: postuler, candidat, candidate, candidats | nl: sollicitatie, kandidatuur, kandidaatstelling, kandidaat, sollicitant | de: bewerbung, kandidat | en: candidate, applicant
offre emploi = fr: emploi vacant, poste vacant, offre de job | nl: vacature, vacatures | de: stellenangebot, stellenausschreibung | en: job offer, vacancy
formation = fr: formateur | nl: opleiding, opleidingen, vorming | de: ausbildung, weiterbildung, schulung, fortbildung | en: training
salaire = fr: traitement salarial, fiche de paie, remuneration, remunerations, bareme, baremes, echelle baremique, echelles baremiques | nl: loon, wedde, lonen, loonadministratie, salaris, verloning, bezoldiging, weddeschaal, weddeschalen, loonschaal | de: gehalt, lohn, lohnabrechnung, gehaltsabrechnung, vergutung, besoldung, gehaltstabelle | en: payroll, salary, remuneration, pay scale, salary scale
conge = nl: verlof | de: urlaub | en: leave
absence = nl: afwezigheid | de: abwesenheit
heures supplementaires = nl: overuren | de: uberstunden | en: overtime
evaluation = nl: evaluatie, beoordeling | de: bewertung, beurteilung | en: appraisal, assessment
notification = fr: notifier | nl: notificatie, verwittiging | de: benachrichtigung, mitteilung | en: notification
alerte = fr: alarme | nl: waarschuwing, alarm | de: warnung, alarm | en: alert
rappel = fr: rappel de paiement | nl: herinnering, aanmaning, aanmaningen, betalingsherinnering | de: erinnerung, mahnung, mahnungen, mahnwesen | en: reminder, payment reminder
statistique = nl: statistiek, statistieken | de: statistik | en: statistics
rapport = fr: rapportage, reporting | nl: rapport, verslag, rapportering | de: bericht, berichtswesen | en: report, reporting
tableau bord = nl: dashboard | de: dashboard | en: dashboard
export = fr: exporter, exportation | nl: exporteren | de: exportieren
interface = fr: couplage, interfacage | nl: koppeling, koppelen | de: schnittstelle
photo = fr: photographie | nl: foto | de: foto
tablette = nl: tablet | de: tablet | en: tablet
carte = nl: kaart | de: karte | en: card
cartographie = fr: carte interactive | nl: cartografie | de: kartografie | en: mapping
permis = nl: vergunning, vergunningen | de: genehmigung, erlaubnis | en: permit, licence
autorisation = fr: autoriser | nl: toelating, machtiging | de: zulassung | en: authorisation
controle = fr: controler | nl: controle, controleren | de: kontrolle, kontrollieren
inspection = nl: inspectie | de: inspektion, prufung
maintenance = fr: entretenir | nl: onderhoud | de: wartung, instandhaltung
intervention = nl: interventie | de: einsatz
naissance = nl: geboorte | de: geburt | en: birth
mariage = nl: huwelijk | de: ehe, eheschliessung, heirat | en: marriage, wedding
deces = nl: overlijden | de: sterbefall | en: death
domicile = fr: residence | nl: woonplaats, domicilie | de: wohnsitz
menage = nl: gezin | de: haushalt | en: household
passeport = nl: paspoort | de: reisepass | en: passport
permis conduire = nl: rijbewijs | de: fuhrerschein | en: driving licence, driving license
ecole = fr: scolaire | nl: school, onderwijs | de: schule, unterricht | en: school
eleve = nl: leerling | en: pupil
enseignant = nl: leerkracht, leraar | de: lehrer | en: teacher
creche = fr: milieu d'accueil, accueil de la petite enfance, garderie | nl: kinderopvang, kinderdagverblijf, kinderkribbe | de: kinderkrippe, kita, kindertagesstatte | en: childcare
accueil extrascolaire = nl: buitenschoolse opvang | de: ausserschulische betreuung | en: after school care
bibliotheque = fr: mediatheque | nl: bibliotheek | de: bibliothek | en: library
salle = nl: zaal | de: saal | en: room, hall
sport = fr: sportif | nl: sport | de: sport
culture = nl: cultuur | de: kultur
jeunesse = nl: jeugd | de: jugend
senior = fr: aine, personnes agees | nl: senioren | de: senioren | en: elderly
handicap = nl: handicap, beperking | de: behinderung | en: disability, disabled
association = nl: vereniging | de: verein
evenement = fr: manifestation | nl: evenement | de: veranstaltung | en: event
tourisme = nl: toerisme | de: tourismus | en: tourism
logement = nl: woning, huisvesting | de: wohnung, wohnraum | en: housing
batiment = fr: immeuble | nl: gebouw, pand | de: gebaude | en: building, buildings
patrimoine = nl: patrimonium | de: vermogen
energie = fr: energetique | nl: energie | de: energie
dechets = fr: immondices | nl: afval | de: abfall, mull | en: waste
recyparc = fr: parc a conteneurs | nl: recyclagepark, containerpark | de: wertstoffhof, containerpark | en: recycling centre, recycling center
cimetiere = nl: begraafplaats, kerkhof | de: friedhof | en: cemetery, graveyard
sepulture = nl: graf, grafconcessie | de: grab, grabstatte | en: grave, burial
voirie = fr: route, chaussee | nl: wegen, wegenis | de: strasse, strassen | en: road, roads
travaux = nl: werken, werkzaamheden | de: arbeiten, bauarbeiten | en: roadworks, public works
chantier = nl: werf | de: baustelle | en: construction site, worksite
espaces verts = nl: groendienst, groenvoorziening | de: grunflachen | en: green spaces
eclairage public = nl: openbare verlichting | de: strassenbeleuchtung | en: street lighting
mobilite = nl: mobiliteit | de: mobilitat | en: mobility
vehicule = fr: voiture | nl: voertuig, auto | de: fahrzeug | en: vehicle
flotte = fr: charroi, parc automobile | nl: wagenpark | de: fuhrpark | en: fleet
securite = nl: veiligheid | de: sicherheit | en: security, safety
videosurveillance = fr: camera de surveillance | nl: camerabewaking, camera | de: videouberwachung, kamera | en: cctv, video surveillance
crise = fr: urgence | nl: crisis, noodsituatie | de: krise, notfall | en: crisis
aide sociale = nl: maatschappelijke dienstverlening, sociale hulp | de: sozialhilfe | en: social assistance, welfare
assistant social = fr: travailleur social, assistante sociale | nl: maatschappelijk werker, sociaal assistent | de: sozialarbeiter | en: social worker
beneficiaire = nl: begunstigde | de: leistungsempfanger | en: beneficiary
decision = fr: decider, deliberation | nl: beslissing, besluit | de: beschluss, entscheidung
seance = nl: zitting, vergadering | de: sitzung | en: meeting, session
ordre jour = nl: agendapunt | de: tagesordnung
commerce = nl: handel | de: handel | en: retail, trade
commercant = fr: marchand, marchande | nl: handelaar | de: handler | en: shopkeeper, retailer, trader
entreprise = nl: onderneming, bedrijf | de: unternehmen, betrieb | en: company, business
environnement = nl: milieu | de: umwelt | en: environment
animaux = fr: animal | nl: dieren, dier | de: tiere, tier | en: animals, animal
telephone = fr: telephonie | nl: telefoon, telefonie | de: telefon | en: phone, telephone
accessibilite = nl: toegankelijkheid, toegankelijk | de: barrierefreiheit, barrierefrei
liste attente = nl: wachtlijst | de: warteliste | en: waiting list
liste = nl: lijst | de: liste | en: list
historique = nl: historiek, geschiedenis | de: verlauf, historie | en: history
constat = fr: constater | nl: vaststelling, vaststellen | de: feststellung
proprietaire = nl: eigenaar | de: eigentumer | en: owner
delai = fr: echeance | nl: termijn | de: frist | en: deadline
parent = nl: ouder, ouders | de: eltern | en: parents
information = fr: info, infos | en: information
emploi = fr: job, jobs | nl: job, jobs, betrekking | de: job, stelle | en: job
publier = fr: publication | nl: publiceren, publicatie | de: veroffentlichen, veroffentlichung | en: publish, publication
encoder = fr: encodage | nl: invoeren, ingeven
calcul = fr: calculer, decompte | nl: berekening, berekenen | de: berechnung, berechnen | en: calculation, calculate
achat = fr: acheter, acheteur | nl: aankoop | de: einkauf | en: purchase
"#;

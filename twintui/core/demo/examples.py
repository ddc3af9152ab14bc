"""The guidelines' own examples: the arrangements GUIDELINES.md names, with partners and risks.

Partners, dates, amounts, contacts, risks and lessons are illustrative, written the way focal
points write them.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field

from ..model import Arrangement, Partner, Risk


@dataclass
class Example:
    arrangement: Arrangement
    partners: list[Partner] = field(default_factory=list)
    risks: list[Risk] = field(default_factory=list)


D = dt.date


def guideline_examples() -> list[Example]:
    return [
        Example(
            Arrangement(
                reporting_state="CZE",
                title="Czech resettlement policy paper and process with the Netherlands",
                status="completed",
                activity_types=["visit", "shadowing a selection mission", "assistance preparing policy documents"],
                areas=["policy and legislation", "case identification and selection", "selection missions"],
                learning_gap="Technical expertise: how to select refugees for resettlement and organise a "
                             "national resettlement process, within 18 months.",
                objectives="Gain as much experience in the field of resettlement as possible to create a Czech "
                           "Republic policy paper on resettlement; develop a national resettlement process from "
                           "selection to arrival.",
                outcomes="A resettlement policy paper submitted to the government; a written selection and "
                         "arrival procedure; two officials trained on a Dutch selection mission.",
                start=D(2008, 3, 1), end=D(2009, 6, 30), virtual=False,
                funding_source="national budget", funding_amount=45000, currency="EUR",
                best_practices="Shadowing a full Dutch selection mission, from dossier review to departure, "
                               "taught more than any seminar. A shared glossary of procedural terms avoided "
                               "misunderstandings between the two ministries.",
                lessons_learned="Plan the policy paper's drafting time before the missions, not after; involve "
                                "the municipalities that will receive refugees from the first visit.",
                contact_name="Jana Novakova", contact_email="jana.novakova@mvcr.example.cz",
                contact_phone="+420 974 000 100", reported_quarter="2009-Q2",
            ),
            [
                Partner(name="Ministry of the Interior of the Czech Republic", type="state", country="CZE",
                        role="lead", state_category="emerging", address="Nad Stolou 936/3, 170 34 Prague 7",
                        contact="Jana Novakova, jana.novakova@mvcr.example.cz"),
                Partner(name="Ministry of Justice of the Netherlands (IND/COA)", type="state", country="NLD",
                        role="partner", state_category="established",
                        address="Turfmarkt 147, 2511 DP The Hague",
                        contact="Pieter de Vries, p.devries@ind.example.nl"),
                Partner(name="UNHCR Regional Representation for Central Europe", type="UNHCR", country="HUN",
                        role="facilitator", address="Felvonulasi ter 1, 1143 Budapest",
                        contact="Resettlement Unit, resettlement@unhcr.example.org"),
            ],
            [
                Risk(description="Drafting of the policy paper slips behind the missions", category="staffing",
                     likelihood=3, impact=3, residual_likelihood=2, residual_impact=3, treatment="treat",
                     mitigation="Fix drafting days in both ministries' plans before the first mission",
                     owner="Jana Novakova", status="closed", next_review=D(2009, 6, 1)),
                Risk(description="Change of government delays approval of the policy paper", category="political",
                     likelihood=2, impact=4, residual_likelihood=2, residual_impact=3, treatment="tolerate",
                     mitigation="Brief the incoming minister's office early", owner="Jana Novakova",
                     status="closed", next_review=D(2009, 6, 1)),
            ],
        ),
        Example(
            Arrangement(
                reporting_state="CAN",
                title="Solidarity resettlement in the Americas under the Mexico Plan of Action",
                status="active",
                activity_types=["seminar", "training or skill-sharing event", "virtual networking"],
                areas=["case identification and selection", "settlement and integration support",
                       "advocacy and public support"],
                learning_gap="Emerging resettlement countries of the Americas need case identification and "
                             "integration support capacity to take part in solidarity resettlement.",
                objectives="Share Canada's experience and challenges in resettlement with officials and NGOs of "
                           "the Americas; strengthen the selection and integration capacity of emerging "
                           "resettlement programmes under the Mexico Plan of Action.",
                outcomes="Annual regional seminar; a network of focal points meeting by teleconference each "
                         "quarter; integration practice notes in Spanish and Portuguese.",
                start=D(2024, 1, 15), end=D(2027, 12, 31), virtual=True,
                funding_source="national budget", funding_amount=250000, currency="CAD",
                best_practices="Quarterly teleconferences kept the network alive between seminars at almost no "
                               "cost. NGO and government officials in the same training room built trust.",
                lessons_learned="Interpretation must be budgeted from the start; translate practice notes before "
                                "the seminar, not after.",
                contact_name="Marie Tremblay", contact_email="marie.tremblay@cic.example.ca",
                contact_phone="+1 613 000 0142", reported_quarter="2026-Q3",
            ),
            [
                Partner(name="Immigration, Refugees and Citizenship Canada", type="state", country="CAN",
                        role="lead", state_category="established", address="365 Laurier Ave W, Ottawa ON",
                        contact="Marie Tremblay, marie.tremblay@cic.example.ca"),
                Partner(name="Government of Brazil, National Committee for Refugees (CONARE)", type="state",
                        country="BRA", role="partner", state_category="emerging",
                        address="Esplanada dos Ministerios, Brasilia DF",
                        contact="Ana Souza, ana.souza@conare.example.br"),
                Partner(name="Government of Chile, Department of Foreigners", type="state", country="CHL",
                        role="partner", state_category="emerging", address="San Antonio 580, Santiago",
                        contact="Diego Rojas, drojas@extranjeria.example.cl"),
                Partner(name="Vicaria de Pastoral Social", type="NGO", country="CHL", role="partner",
                        address="Santiago de Chile", contact="Claudia Perez, cperez@vicaria.example.cl"),
                Partner(name="UNHCR Americas Bureau", type="UNHCR", country="PAN", role="facilitator",
                        address="Ciudad del Saber, Panama", contact="americas@unhcr.example.org"),
            ],
            [
                Risk(description="Poor communication between seminars lets the network lapse",
                     category="communication", likelihood=3, impact=3, residual_likelihood=2, residual_impact=2,
                     treatment="treat", mitigation="Quarterly teleconference with a rotating chair",
                     owner="Marie Tremblay", status="open", next_review=D(2026, 12, 15)),
                Risk(description="Budget cut to the regional programme", category="budget", likelihood=2,
                     impact=4, residual_likelihood=2, residual_impact=3, treatment="transfer",
                     mitigation="Seek co-funding from UNHCR and participating states", owner="Marie Tremblay",
                     status="open", next_review=D(2026, 10, 1)),
                Risk(description="A change of government in a partner state halts its resettlement commitment",
                     category="political", likelihood=3, impact=5, residual_likelihood=3, residual_impact=4,
                     treatment="tolerate",
                     mitigation="Keep UNHCR and the NGOs engaged so that the network outlasts a change of policy",
                     owner="Marie Tremblay", status="open", next_review=D(2026, 8, 31)),
            ],
        ),
        Example(
            Arrangement(
                reporting_state="CAN",
                title="Staff exchanges and visits with Japan for a new resettlement programme",
                status="completed",
                activity_types=["staff exchange", "visit", "assistance preparing documents for national government"],
                areas=["policy and legislation", "pre-departure and cultural orientation",
                       "settlement and integration support"],
                learning_gap="Japan planned a pilot resettlement programme and needed experience of selection, "
                             "orientation and early integration.",
                objectives="Develop a new resettlement programme in Japan: design the pilot's selection, "
                           "pre-departure orientation and six-month integration package by 2010.",
                outcomes="Pilot programme design approved by the Cabinet; orientation curriculum; two staff "
                         "exchanges in each direction.",
                start=D(2008, 9, 1), end=D(2010, 9, 30), virtual=False,
                funding_source="national budget", funding_amount=120000, currency="CAD",
                best_practices="Japanese officials observed a full reception week in Canada before writing the "
                               "orientation curriculum.",
                lessons_learned="Language training needs far more time than a six-month package allows; plan "
                                "follow-up support with local NGOs.",
                contact_name="Marie Tremblay", contact_email="marie.tremblay@cic.example.ca",
                contact_phone="+1 613 000 0142", reported_quarter="2010-Q3",
            ),
            [
                Partner(name="Immigration, Refugees and Citizenship Canada", type="state", country="CAN",
                        role="lead", state_category="established", address="365 Laurier Ave W, Ottawa ON",
                        contact="Marie Tremblay, marie.tremblay@cic.example.ca"),
                Partner(name="Cabinet Secretariat of Japan, Refugee Policy Coordination", type="state",
                        country="JPN", role="partner", state_category="emerging",
                        address="1-6-1 Nagatacho, Chiyoda-ku, Tokyo",
                        contact="Kenji Sato, k.sato@cas.example.jp"),
                Partner(name="IOM Tokyo", type="IOM", country="JPN", role="partner",
                        address="Tokyo", contact="iomtokyo@iom.example.int"),
            ],
            [
                Risk(description="Unclear roles between the Japanese ministries involved",
                     category="roles and responsibilities", likelihood=3, impact=4, residual_likelihood=2,
                     residual_impact=3, treatment="treat", mitigation="A single coordinating office named in the MoU",
                     owner="Kenji Sato", status="closed", next_review=D(2010, 6, 30)),
            ],
        ),
        Example(
            Arrangement(
                reporting_state="NOR",
                title="Competence building on selection and integration of quota refugees with five Latin "
                      "American states",
                status="active",
                activity_types=["training or skill-sharing event", "shadowing a selection mission", "staff exchange",
                                "sharing integration support practice"],
                areas=["case identification and selection", "selection missions", "settlement and integration support"],
                learning_gap="Argentina, Brazil, Chile, Paraguay and Uruguay want to strengthen selection and "
                             "integration of quota refugees within three years.",
                objectives="Strengthen the capacity of the five states to select quota refugees on missions and "
                           "to integrate them: each state runs one selection mission with Norwegian shadowing "
                           "and adopts an integration plan by the end of 2027.",
                outcomes="Five selection missions shadowed; five national integration plans; a regional "
                         "network of municipal integration officers.",
                start=D(2025, 1, 1), end=D(2027, 12, 31), virtual=False,
                funding_source="national budget (Ministry of Justice)", funding_amount=3500000, currency="NOK",
                best_practices="Municipal integration officers from Norway visiting their counterparts gave the "
                               "most practical advice. Mission shadowing with joint interview notes.",
                lessons_learned="Integration plans need the municipalities at the table from the start; "
                                "interpreting Spanish and Portuguese sessions separately doubled the cost, a "
                                "common working language for the network was agreed in the second year.",
                contact_name="Ingrid Hansen", contact_email="ingrid.hansen@udi.example.no",
                contact_phone="+47 23 00 00 00", reported_quarter="2026-Q2",
            ),
            [
                Partner(name="Norwegian Directorate of Immigration (UDI)", type="state", country="NOR", role="lead",
                        state_category="established", address="Hausmanns gate 21, 0182 Oslo",
                        contact="Ingrid Hansen, ingrid.hansen@udi.example.no"),
                Partner(name="Argentina, National Commission for Refugees", type="state", country="ARG",
                        role="partner", state_category="emerging", address="Buenos Aires",
                        contact="conare@argentina.example.ar"),
                Partner(name="Brazil, National Committee for Refugees (CONARE)", type="state", country="BRA",
                        role="partner", state_category="emerging", address="Brasilia DF",
                        contact="Ana Souza, ana.souza@conare.example.br"),
                Partner(name="Chile, Department of Foreigners and Migration", type="state", country="CHL",
                        role="partner", state_category="emerging", address="Santiago",
                        contact="Diego Rojas, drojas@extranjeria.example.cl"),
                Partner(name="Paraguay, National Commission for Refugees", type="state", country="PRY",
                        role="partner", state_category="emerging", address="Asuncion",
                        contact="conare@paraguay.example.py"),
                Partner(name="Uruguay, Refugee Commission", type="state", country="URY", role="partner",
                        state_category="emerging", address="Montevideo", contact="core@uruguay.example.uy"),
            ],
            [
                Risk(description="Unexpected budget cuts in a partner state stop its selection mission",
                     category="budget", likelihood=3, impact=4, residual_likelihood=2, residual_impact=4,
                     treatment="treat", mitigation="Norway covers mission travel; states cover staff time",
                     owner="Ingrid Hansen", status="open", next_review=D(2026, 9, 30)),
                Risk(description="Poor communication across five partners and two languages",
                     category="communication", likelihood=4, impact=3, residual_likelihood=2, residual_impact=3,
                     treatment="treat", mitigation="Monthly call, minutes in Spanish and Portuguese",
                     owner="Ingrid Hansen", status="open", next_review=D(2027, 1, 31)),
                Risk(description="Security situation prevents access to a refugee camp for a mission",
                     category="security", likelihood=2, impact=5, residual_likelihood=2, residual_impact=4,
                     treatment="tolerate", mitigation="UNHCR security briefing; dossier selection as fallback",
                     owner="UNHCR focal point", status="open", next_review=D(2027, 3, 31)),
            ],
        ),
        Example(
            Arrangement(
                reporting_state="BEL",
                title="Practical Cooperation for the European Resettlement Network",
                status="completed",
                activity_types=["seminar", "training or skill-sharing event", "virtual networking",
                                "sharing integration support practice"],
                areas=["advocacy and public support", "settlement and integration support",
                       "arrival and reception"],
                learning_gap="European states and NGOs new to resettlement lacked a shared body of practice on "
                             "reception and integration.",
                objectives="Build a European resettlement network of states, NGOs and UNHCR; collect reception "
                           "and integration practice into a publication for states starting resettlement "
                           "programmes.",
                outcomes="The 'Welcome to Europe' publication; a network website; three regional workshops.",
                start=D(2008, 1, 1), end=D(2010, 6, 30), virtual=False,
                funding_source="ERF Community Action", funding_amount=650000, currency="EUR",
                best_practices="Writing the publication together with practitioners from each country made it "
                               "usable on the ground. Study visits paired an NGO and a ministry from each state.",
                lessons_learned="A network needs a permanent secretariat once the project funding ends.",
                contact_name="Petra Hueck", contact_email="resettlement@icmc.example.org",
                contact_phone="+32 2 000 00 00", reported_quarter="2010-Q2",
            ),
            [
                Partner(name="ICMC Europe", type="NGO", country="BEL", role="lead",
                        address="Rue Washington 40, 1050 Brussels", contact="resettlement@icmc.example.org"),
                Partner(name="UNHCR Bureau for Europe", type="UNHCR", country="BEL", role="partner",
                        address="Brussels", contact="europe@unhcr.example.org"),
                Partner(name="IOM Regional Office Brussels", type="IOM", country="BEL", role="partner",
                        address="Brussels", contact="robrussels@iom.example.int"),
                Partner(name="European Commission (ERF Community Action)", type="international organisation",
                        role="funder", address="Brussels", contact="home-erf@ec.example.eu"),
            ],
            [
                Risk(description="Co-financing share not raised in time", category="funding", likelihood=3,
                     impact=4, residual_likelihood=2, residual_impact=3, treatment="treat",
                     mitigation="Partners pledge their share before the application", owner="ICMC finance",
                     status="closed", next_review=D(2010, 3, 31)),
            ],
        ),
        Example(
            Arrangement(
                reporting_state="FIN",
                title="MOST: Modelling of Orientation, Services and Training for resettled refugees",
                status="completed",
                activity_types=["training or skill-sharing event", "pre-departure cultural orientation",
                                "post-arrival orientation", "sharing integration support practice"],
                areas=["pre-departure and cultural orientation", "arrival and reception",
                       "settlement and integration support"],
                learning_gap="Refugees coming directly from crises or camps needed quicker and better "
                             "integration paths in the four states.",
                objectives="Develop comprehensive models of orientation, services and training for quicker and "
                           "better integration of resettled refugees arriving directly from crisis situations "
                           "or refugee camps in the European Union.",
                outcomes="Four national orientation models; a joint training package for reception staff; a "
                         "final conference in Helsinki.",
                start=D(2007, 10, 1), end=D(2009, 9, 30), virtual=False,
                funding_source="ERF Community Action", funding_amount=900000, currency="EUR",
                best_practices="Pre-departure orientation delivered by staff who later meet the refugees on "
                               "arrival. Municipal reception staff trained together across the four states.",
                lessons_learned="Comparing models across states only works with shared indicators agreed at "
                                "the start; collect baseline data before the first arrivals.",
                contact_name="Liisa Virtanen", contact_email="liisa.virtanen@intermin.example.fi",
                contact_phone="+358 295 000 000", reported_quarter="2009-Q3",
            ),
            [
                Partner(name="Finnish Ministry of the Interior", type="state", country="FIN", role="lead",
                        state_category="established", address="Kirkkokatu 12, Helsinki",
                        contact="Liisa Virtanen, liisa.virtanen@intermin.example.fi"),
                Partner(name="Reception and Integration Agency of Ireland", type="state", country="IRL",
                        role="partner", state_category="established", address="Dublin",
                        contact="ria@justice.example.ie"),
                Partner(name="Ministry of Labour and Social Affairs of Spain", type="state", country="ESP",
                        role="partner", state_category="emerging", address="Madrid",
                        contact="refugiados@mtas.example.es"),
                Partner(name="Swedish Migration Board", type="state", country="SWE", role="partner",
                        state_category="established", address="Norrkoping",
                        contact="resettlement@migrationsverket.example.se"),
            ],
            [
                Risk(description="Staff turnover in reception centres loses the trained staff", category="staffing",
                     likelihood=4, impact=3, residual_likelihood=3, residual_impact=2, treatment="treat",
                     mitigation="Train-the-trainer sessions and a written training package", owner="Liisa Virtanen",
                     status="closed", next_review=D(2009, 6, 30)),
            ],
        ),
    ]


# States that resettle or are building a programme, for synthetic data.

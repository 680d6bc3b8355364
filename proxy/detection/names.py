"""Word lists for `people.py`: common first names, and capitalised words that are not names.

FIRST_NAMES: frequent given names in France, Belgium, Switzerland, the UK, the US, Germany,
Spain and Italy (national statistics' most given names over the last decades, written from
general knowledge, accents as usually written). Names that are also everyday words in one
of the languages ("Will", "May", "Rose", "Pierre" in lower case is a stone, but a capitalised
"Pierre" before a capitalised word is a name) are left out where the word is common at the
start of a sentence. A first name alone is never a finding: it must come with a surname.

COMMON_WORDS: capitalised words that follow a first name or a title without being a surname
(greetings, days, months, words that start sentences, street types).
"""

from __future__ import annotations


def _words(text: str) -> frozenset[str]:
    return frozenset(word.casefold() for word in text.split())


FIRST_NAMES = _words(
    # French, Belgian, Swiss French
    """
    Jean Pierre Michel André Philippe Alain Jacques Bernard Patrick Daniel Nicolas Christophe
    Christian Éric Eric Frédéric Laurent Stéphane Pascal Olivier David Julien Thierry Sébastien
    François Gérard Didier Dominique Vincent Thomas Alexandre Guillaume Antoine Maxime Romain
    Mathieu Matthieu Jérôme Franck Bruno Gilles Serge Yves Marc Claude Henri Louis Paul Lucas
    Hugo Théo Nathan Enzo Léo Gabriel Raphaël Arthur Jules Adam Mathis Ethan Noah Tom Clément
    Baptiste Quentin Florian Kévin Kevin Adrien Benjamin Aurélien Cédric Damien Fabien Jonathan
    Ludovic Mickaël Loïc Yannick Hervé Régis Rémi Rémy Xavier Arnaud Benoît Cyril Gaël Grégory
    Jean-Pierre Jean-Claude Jean-Michel Jean-Luc Jean-François Jean-Marc Jean-Paul Jean-Louis
    Jean-Jacques Jean-Baptiste Marie-Claire Marie-France Marie-Christine Anne-Marie Marie-Hélène
    Marie-Pierre Marie-Laure Anne-Sophie
    Marie Nathalie Isabelle Sylvie Catherine Françoise Christine Monique Valérie Sandrine
    Véronique Nicole Sophie Stéphanie Céline Julie Aurélie Caroline Camille Émilie Emilie Laura
    Sarah Manon Léa Chloé Emma Inès Jade Louise Alice Lina Lucie Juliette Zoé Anaïs Mathilde
    Pauline Marine Élodie Elodie Virginie Laetitia Karine Patricia Martine Brigitte Hélène
    Chantal Danielle Jacqueline Josiane Annie Corinne Florence Agnès Claire Élise Elise Charlotte
    Margaux Océane Clara Agathe Victoire Ambre Romane Lola Éva Eva Héloïse Capucine Noémie Justine
    Mélanie Audrey Delphine Fabienne Ghislaine Geneviève Odile Madeleine Simone Yvette Colette
    Solène Amandine Laurence Muriel Béatrice Dominique Bénédicte Clémence Margot Coralie Estelle
    Gaëlle Maëlle Morgane Jeanne Anne Hugues Gauthier Thibault Thibaut Tristan Valentin Victor
    Gaston Marcel Roger René Robert Raymond Lucien Georges Maurice Fernand Émile Emile
    Mohamed Mohammed Ahmed Karim Mehdi Rachid Samir Youssef Omar Ali Bilal Hamza Sofiane Nadia
    Fatima Leïla Leila Samira Yasmine Amina Sonia Malika Aïcha Mamadou Moussa Ibrahim Aminata
    Fatou Awa Moussa Ousmane
    """
    # English
    """
    John James Robert Michael William David Richard Joseph Thomas Charles Christopher Daniel
    Matthew Anthony Donald Steven Paul Andrew Joshua Kenneth Kevin Brian George Timothy Ronald
    Edward Jason Jeffrey Ryan Jacob Gary Nicholas Eric Jonathan Stephen Larry Justin Scott
    Brandon Benjamin Samuel Gregory Frank Alexander Raymond Patrick Jack Dennis Jerry Tyler
    Aaron Jose Henry Adam Douglas Nathan Peter Zachary Kyle Walter Harold Jeremy Ethan Carl
    Keith Roger Gerald Christian Terry Sean Arthur Austin Noah Lawrence Jesse Joe Bryan Billy
    Jordan Albert Dylan Bruce Willie Gabriel Alan Juan Logan Wayne Ralph Roy Eugene Randy
    Vincent Russell Louis Philip Bobby Johnny Bradley Oliver Harry Charlie Jacob Alfie Freddie
    Archie Leo Oscar Theo Toby Max Mohammed Liam Mason Lucas Elijah Aiden Jackson Owen Connor
    Callum Jamie Lewis Craig Stuart Gavin Graham Neil Ian Colin Martin Simon Nigel Trevor
    Mary Patricia Jennifer Linda Elizabeth Barbara Susan Jessica Sarah Karen Nancy Lisa Betty
    Margaret Sandra Ashley Kimberly Emily Donna Michelle Dorothy Carol Amanda Melissa Deborah
    Stephanie Rebecca Sharon Laura Cynthia Kathleen Amy Shirley Angela Helen Anna Brenda Pamela
    Nicole Emma Samantha Katherine Christine Debra Rachel Catherine Carolyn Janet Ruth Maria
    Heather Diane Virginia Julie Joyce Victoria Olivia Kelly Christina Lauren Joan Evelyn
    Judith Megan Cheryl Andrea Hannah Martha Jacqueline Frances Gloria Ann Teresa Kathryn Sara
    Janice Jean Alice Madison Doris Abigail Julia Judy Grace Denise Amber Marilyn Beverly
    Danielle Theresa Sophia Marie Diana Brittany Natalie Isabella Charlotte Rose Alexis Kayla
    Amelia Isla Ava Mia Ivy Lily Freya Florence Poppy Evie Ella Sophie Chloe Jessica Lucy Holly
    Eleanor Harriet Imogen Fiona Gillian Kirsty Lindsay Nicola Joanne Claire Gemma Kerry
    """
    # German
    """
    Peter Michael Thomas Andreas Wolfgang Klaus Jürgen Stefan Stephan Christian Uwe Werner
    Frank Bernd Ralf Hans Dieter Markus Matthias Jörg Sven Holger Torsten Dirk Rainer Manfred
    Helmut Horst Gerhard Heinz Karl Günter Günther Walter Lukas Leon Finn Jonas Elias Paul
    Felix Maximilian Luca Tim Niklas Moritz Julian Jan Tobias Florian Sebastian Philipp Daniel
    Kai Lars Jens Heiko Björn Carsten Volker Axel Norbert Reinhard Friedrich Wilhelm Ludwig
    Ursula Monika Petra Sabine Renate Helga Karin Brigitte Ingrid Gabriele Susanne Andrea
    Birgit Claudia Stefanie Nicole Katrin Kathrin Julia Anna Laura Lena Lea Leonie Hannah
    Mia Emilia Sophie Marie Lina Johanna Clara Greta Maria Sandra Anja Silke Heike Kerstin
    Bettina Christiane Martina Tanja Simone Nadine Melanie Jana Katharina Franziska Annika
    Jutta Gisela Hildegard Elke Doris Marion Angelika Sigrid Anke Dagmar Ute Antje Svenja
    """
    # Spanish
    """
    Antonio José Manuel Francisco Juan David Javier Daniel Carlos Jesús Alejandro Miguel Rafael
    Pedro Pablo Ángel Sergio Fernando Jorge Luis Alberto Álvaro Diego Adrián Raúl Enrique Ramón
    Vicente Andrés Joaquín Santiago Víctor Eduardo Roberto Jaime Francisco Ignacio Alfonso
    Hugo Martín Mateo Lucas Leo Marcos Gonzalo Rubén Iván Óscar Guillermo Emilio Salvador
    María Carmen Josefa Isabel Ana Dolores Pilar Teresa Rosa Francisca Laura Antonia Mercedes
    Lucía Cristina Marta Elena Paula Sara Raquel Manuela Rocío Beatriz Patricia Silvia Julia
    Alba Sofía Martina Valeria Daniela Carla Irene Noelia Nuria Montserrat Concepción Inmaculada
    Encarnación Alicia Sonia Eva Natalia Lorena Claudia Andrea Marina Celia Ainhoa Itziar
    """
    # Italian
    """
    Giuseppe Giovanni Antonio Mario Luigi Francesco Angelo Vincenzo Pietro Salvatore Carlo
    Franco Domenico Bruno Paolo Michele Giorgio Aldo Sergio Luciano Roberto Stefano Marco
    Alessandro Andrea Matteo Lorenzo Leonardo Riccardo Tommaso Davide Federico Simone Luca
    Gabriele Emanuele Massimo Fabio Claudio Maurizio Daniele Enrico Alberto Giulio Nicola
    Maria Anna Giuseppina Rosa Angela Giovanna Teresa Lucia Carmela Caterina Francesca Giulia
    Chiara Sara Martina Alessia Sofia Aurora Ginevra Alice Beatrice Elisa Federica Silvia
    Valentina Elena Paola Laura Roberta Monica Barbara Simona Cristina Daniela Raffaella
    """
)

COMMON_WORDS = _words(
    """
    Bonjour Bonsoir Merci Cordialement Salut Madame Monsieur Mademoiselle Objet Réf Référence
    Hello Hi Dear Thanks Thank Regards Best Kind Sincerely Cheers Re Subject Ref Please Note
    Hallo Guten Liebe Lieber Sehr Danke Grüße Gruß Mit Freundlichen Betreff
    Hola Estimado Estimada Gracias Saludos Atentamente Asunto Buenos Buenas
    Ciao Gentile Grazie Cordiali Saluti Oggetto
    Lundi Mardi Mercredi Jeudi Vendredi Samedi Dimanche Janvier Février Mars Avril Mai Juin
    Juillet Août Septembre Octobre Novembre Décembre
    Monday Tuesday Wednesday Thursday Friday Saturday Sunday January February March April
    June July August September October November December
    Montag Dienstag Mittwoch Donnerstag Freitag Samstag Sonntag
    Lunes Martes Miércoles Jueves Viernes Sábado Domingo
    The This That These Those And Or But If When Then There Here What Which Who How Why
    Le La Les Un Une Des Du De Et Ou Mais Donc Car Ce Cette Ces Il Elle Nous Vous Ils Elles
    Der Die Das Und Oder Aber Ein Eine Ich Sie Wir Ihr Es
    El Los Las Y Pero Una Uno Yo Usted
    Il Lo Gli E Ma Una Uno Io Lei
    Street Road Avenue Lane Drive Boulevard Rue Avenue Boulevard Place Chemin Allée Impasse
    Straße Strasse Weg Platz Calle Plaza Paseo Via Piazza Corso
    Inc Ltd Llc Sas Sarl Sa Gmbh Ag Spa Srl
    Team Support Service Client Customer Manager Director Directeur Directrice Président
    Company Bank Banque Group Groupe Hospital Hôpital Clinic Clinique University Université

    """
)

"""The Auswertung after the forums: suggested themes among the cards of all groups and forums."""

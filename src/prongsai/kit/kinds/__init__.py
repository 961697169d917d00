"""One module per dataset of the kit; importing a module registers its dataset and kinds
(prongsai.kit.load_kinds imports them all)."""

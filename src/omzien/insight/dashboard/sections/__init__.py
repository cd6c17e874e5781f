"""One module per section of the dashboard, each counting in the database and returning
protected tables (`dashboard.assemble` puts them in order)."""

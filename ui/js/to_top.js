() => window.scrollTo({top: 0})

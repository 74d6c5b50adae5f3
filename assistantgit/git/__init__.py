"""Everything that talks to git, as nbdime keeps its vcs/git: opening the repository
(repo.py), diff sides read from revisions (revisions.py), the textconv diff driver
(driver.py), and the commits and revision exports of the environment commands
(commits.py). The semantic diff itself (diff/) knows nothing of git."""

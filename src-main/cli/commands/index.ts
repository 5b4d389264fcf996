/** Every CLI command, in the order `eclectyc --help` lists them. A new command is a file here and a line below. */
import type { Command } from '../command';
import { aggregateCommand } from './aggregate';
import { alertsCommand } from './alerts';
import { budgetsCommand } from './budgets';
import { auditCommand } from './audit';
import { analyseCommand, baselineCommand, cusumCommand, exceptionsCommand, qualityCommand } from './analyse';
import { sitesCommand } from './sites';
import { sourcesCommand } from './sources';
import { schedulesCommand } from './schedules';
import { weatherCommand } from './weather';
import { callCommand } from './call';
import { carbonCommand } from './carbon';
import { compareCommand } from './compare';
import { costCommand } from './cost';
import { emissionsCommand } from './emissions';
import { exportCommand } from './export';
import { healthCommand } from './health';
import { importCommand } from './import';
import { jobsCommand } from './jobs';
import { metersCommand } from './meters';
import { readingsCommand } from './readings';
import { registerCommand } from './register';
import { reportCommand } from './report';
import { serveCommand } from './serve';
import { notifyCommand, settingsCommand } from './settings';
import { switchCommand } from './switch';
import { syncCommand } from './sync';
import { tariffsCommand } from './tariffs';
import { tokensCommand } from './tokens';
import { totalsCommand } from './totals';
import { trashCommand } from './undo';
import { usersCommand } from './users';
import { workerCommand } from './worker';

export const COMMANDS: readonly Command[] = [
  importCommand,
  metersCommand,
  readingsCommand,
  jobsCommand,
  trashCommand,
  aggregateCommand,
  totalsCommand,
  compareCommand,
  workerCommand,
  sourcesCommand,
  schedulesCommand,
  carbonCommand,
  emissionsCommand,
  exportCommand,
  reportCommand,
  tariffsCommand,
  costCommand,
  switchCommand,
  sitesCommand,
  registerCommand,
  analyseCommand,
  qualityCommand,
  exceptionsCommand,
  weatherCommand,
  baselineCommand,
  cusumCommand,
  healthCommand,
  alertsCommand,
  budgetsCommand,
  settingsCommand,
  auditCommand,
  notifyCommand,
  usersCommand,
  tokensCommand,
  syncCommand,
  serveCommand,
  callCommand,
];

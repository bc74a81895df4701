import { Router } from 'express';
import {
  evaluationSystem,
  projectEvaluationData,
  saveEvaluationSystem,
  saveProjectEvaluationData,
} from '../../app/evaluation';
import { portfolioRanking, projectEvaluation } from '../../app/evaluation-scores';
import type { WebContext } from '../context';
import { can, signedIn } from '../middleware/access';
import { actorOf } from '../middleware/auth';
import { evaluationJurisdictionParam, portfolioParam, projectParam } from '../middleware/resources';
import {
  evaluationDataJson,
  projectScoreJson,
  rankingJson,
  systemJson,
} from '../view-models/evaluation-json';
import { queryText } from './params';

/**
 * The evaluation index system's API (issue 12, README "Evaluation index system"):
 *   GET/PUT /jurisdictions/:name/evaluation-system, GET/PUT /projects/:code/evaluation-data,
 *   GET /projects/:code/evaluation-score, GET /portfolios/:id/evaluation-ranking.
 */
export function evaluationApiRoutes(ctx: WebContext): Router {
  const router = Router();
  const { store } = ctx;
  router.get('/jurisdictions/:name/evaluation-system', signedIn, (req, res) => {
    res.json(systemJson(evaluationSystem(store, req.params.name as string)));
  });
  router.put(
    '/jurisdictions/:name/evaluation-system',
    can(store, 'evaluation.write', evaluationJurisdictionParam),
    (req, res) => {
      const name = req.params.name as string;
      saveEvaluationSystem(store, actorOf(res), name, req.body);
      res.json(systemJson(evaluationSystem(store, name)));
    },
  );
  router.get(
    '/projects/:code/evaluation-data',
    can(store, 'project.read', projectParam),
    (req, res) => {
      res.json(
        evaluationDataJson(projectEvaluationData(store, actorOf(res), req.params.code as string)),
      );
    },
  );
  router.put(
    '/projects/:code/evaluation-data',
    can(store, 'evaluation.write', projectParam, { seenWith: 'project.read' }),
    (req, res) => {
      const code = req.params.code as string;
      res.json(evaluationDataJson(saveProjectEvaluationData(store, actorOf(res), code, req.body)));
    },
  );
  router.get(
    '/projects/:code/evaluation-score',
    can(store, 'project.read', projectParam),
    (req, res) => {
      const e = projectEvaluation(store, actorOf(res), req.params.code as string, {
        scenario: queryText(req.query.scenario),
      });
      res.json(projectScoreJson(e));
    },
  );
  router.get(
    '/portfolios/:id/evaluation-ranking',
    can(store, 'portfolio.read', portfolioParam),
    (req, res) => {
      res.json(rankingJson(portfolioRanking(store, actorOf(res), Number(req.params.id))));
    },
  );
  return router;
}
